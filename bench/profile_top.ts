/**
 * The top frames of a V8 CPU profile (`node --cpu-prof`, `bun --cpu-prof`):
 * self time and inclusive time per function, as percentages of the samples.
 *
 *   deno run -R bench/profile_top.ts prof/x.cpuprofile [--top 25] [--filter text]
 *
 * `--filter` keeps only the samples whose stack has a frame matching the text
 * (e.g. `decode`), so one path of a scenario can be read on its own.
 */
import { parseArgs } from "node:util";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const flags = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { top: { type: "string", default: "25" }, filter: { type: "string", default: "" } },
});
const profile: Profile = JSON.parse(await Deno.readTextFile(flags.positionals[0]));
const top = Number(flags.values.top);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) parent.set(child, node.id);
}

function name(frame: CallFrame): string {
  const file = frame.url.replace(/^.*\/(node_modules\/)?/, (_, nm) => nm ? "~" : "");
  return `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
}

function stack(id: number): string[] {
  const names: string[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    names.push(name(byId.get(at)!.callFrame));
  }
  return names;
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
const stacks = new Map<number, string[]>();
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i + 1] ?? 0;
  let frames = stacks.get(id);
  if (!frames) stacks.set(id, frames = stack(id));
  if (flags.values.filter && !frames.some((f) => f.includes(flags.values.filter))) return;
  total += delta;
  self.set(frames[0], (self.get(frames[0]) ?? 0) + delta);
  for (const frame of new Set(frames)) inclusive.set(frame, (inclusive.get(frame) ?? 0) + delta);
});

function print(title: string, table: Map<string, number>): void {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
  const sorted = [...table].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [frame, time] of sorted) {
    console.log(`${(100 * time / total).toFixed(1).padStart(5)}%  ${frame}`);
  }
}
print("self time", self);
print("inclusive time", inclusive);
