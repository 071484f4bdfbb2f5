/**
 * Where a process's resident memory sits, from Linux's `/proc/self/smaps`:
 * enough to tell which part of a memory row's growth is whose.
 *
 *   mainHeap      `[heap]`, malloc's main arena: what the JS thread mallocs
 *                 (on Node and Deno, the buffers records are copied into)
 *   threadArenas  anonymous mappings at 64 MiB-aligned addresses, no larger:
 *                 malloc's arenas of other threads (librdkafka's, holding
 *                 its prefetched messages)
 *   otherAnon     every other anonymous mapping: the JS engine's heap (and
 *                 Bun's own allocator), thread stacks
 *   files         mapped files: the runtime's and the libraries' code
 *
 * Undefined where `/proc/self/smaps` cannot be read (not Linux).
 */
import { readFileSync } from "node:fs";

/** Resident MB by part of the address space. */
export interface MemoryMap {
  readonly mainHeap: number;
  readonly threadArenas: number;
  readonly otherAnon: number;
  readonly files: number;
}

const arenaAlignment = 64 * 1024 * 1024;
const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/;

function partOf(start: number, end: number, name: string): keyof MemoryMap | undefined {
  if (name === "[heap]") return "mainHeap";
  if (name.startsWith("/")) return "files";
  if (name !== "") return undefined; // [stack], [vdso], ...
  return start % arenaAlignment === 0 && end - start <= arenaAlignment
    ? "threadArenas"
    : "otherAnon";
}

/** The current process's resident memory by part, in MB. */
export function memoryMap(): MemoryMap | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/self/smaps", "utf8");
  } catch {
    return undefined;
  }
  const kb = { mainHeap: 0, threadArenas: 0, otherAnon: 0, files: 0 };
  let part: keyof MemoryMap | undefined;
  for (const line of text.split("\n")) {
    const header = mapping.exec(line);
    if (header) {
      part = partOf(parseInt(header[1], 16), parseInt(header[2], 16), header[3].trim());
    } else if (part && line.startsWith("Rss:")) {
      kb[part] += Number(line.split(/\s+/)[1]);
    }
  }
  const mb = (n: number) => n / 1024;
  return {
    mainHeap: mb(kb.mainHeap),
    threadArenas: mb(kb.threadArenas),
    otherAnon: mb(kb.otherAnon),
    files: mb(kb.files),
  };
}

/** `after - before` for each part, as `<part>GrowthMB` fields of a report. */
export function mapGrowth(before?: MemoryMap, after?: MemoryMap): Record<string, number> {
  if (!before || !after) return {};
  return Object.fromEntries(
    (Object.keys(after) as (keyof MemoryMap)[]).map((part) => [
      `${part}GrowthMB`,
      after[part] - before[part],
    ]),
  );
}
