/**
 * A CPU profile of a Deno scenario through the inspector (Deno 2.9 has no
 * `--cpu-prof`): starts `deno run --inspect-wait` on a free loopback port,
 * samples from `--after` seconds for `--for` seconds, and writes a
 * `.cpuprofile` that bench/profile_top.ts reads.
 *
 *   deno run -A bench/inspect_profile.ts --out /tmp/loop.cpuprofile --after 3 --for 8 -- \
 *     bench/consume.ts --client flowodm-loop --messages 200000 --topic <topic>
 */
import { parseArgs } from "node:util";

const flags = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    out: { type: "string", default: "deno.cpuprofile" },
    after: { type: "string", default: "2" },
    for: { type: "string", default: "10" },
    interval: { type: "string", default: "200" },
  },
});

const child = new Deno.Command("deno", {
  args: ["run", "-A", "--inspect-wait=127.0.0.1:0", ...flags.positionals],
  stdout: "inherit",
  stderr: "piped",
}).spawn();

// The inspector prints its WebSocket address on stderr; the rest is passed through.
const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
let url = "";
while (!url) {
  const { value, done } = await reader.read();
  if (done) throw new Error("the scenario exited before its inspector listened");
  const found = value.match(/ws:\/\/[^\s]+/);
  if (found) url = found[0];
  else Deno.stderr.writeSync(new TextEncoder().encode(value));
}
(async () => {
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    Deno.stderr.writeSync(new TextEncoder().encode(r.value));
  }
})();

const socket = new WebSocket(url);
await new Promise((resolve, reject) => {
  socket.onopen = resolve;
  socket.onerror = reject;
});
let nextId = 1;
const pending = new Map<number, (result: unknown) => void>();
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.id && pending.has(message.id)) {
    pending.get(message.id)!(message.result);
    pending.delete(message.id);
  }
};
function send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  const id = nextId++;
  socket.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve) => pending.set(id, resolve));
}

await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: Number(flags.values.interval) });
await send("Runtime.runIfWaitingForDebugger");
await new Promise((resolve) => setTimeout(resolve, Number(flags.values.after) * 1000));
await send("Profiler.start");
await new Promise((resolve) => setTimeout(resolve, Number(flags.values.for) * 1000));
const { profile } = await send("Profiler.stop") as { profile: unknown };
await Deno.writeTextFile(flags.values.out, JSON.stringify(profile));
console.error(`wrote ${flags.values.out}`);
socket.close();
await child.status;
