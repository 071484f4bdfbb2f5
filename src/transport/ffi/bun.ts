/**
 * The `ffi` transport's binding for Bun: `bun:ffi`. Bun has no off-thread
 * FFI calls, so a blocking poll is run with timeout 0 and, between polls,
 * waits for librdkafka to signal the queue through a pipe (./bun_queue_wake.ts).
 * Where no pipe can be made it waits on a timer that backs off while nothing
 * arrives instead.
 *
 * @module
 */
import process from "node:process";
import type { NativeLibrary, Pointer } from "./native.ts";
import { symbols } from "./symbols.ts";
import { bunTypes } from "./bun_types.ts";
import { QueueWakers } from "./bun_queue_wake.ts";

// Held in a variable so that Deno never resolves or type-checks Bun's module.
const bunFfiModule = "bun:ffi";
// deno-lint-ignore no-explicit-any
type BunFfi = any;

/** The longest sleep between two polls of an idle queue. */
const maxBackoffMs = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Loads `bun:ffi` and returns a function that opens librdkafka with it. */
export async function bunOpener(): Promise<(path: string) => NativeLibrary> {
  const ffi: BunFfi = await import(bunFfiModule);
  return (path) => openLibrary(ffi, path);
}

function openLibrary(ffi: BunFfi, path: string): NativeLibrary {
  const defs: Record<string, { args: string[]; returns: string }> = {};
  for (const [name, spec] of Object.entries(symbols)) {
    defs[name] = { args: spec.args.map((t) => bunTypes[t]), returns: bunTypes[spec.result] };
  }
  // libc's memcpy, found through librdkafka's handle (dlsym searches its dependencies):
  // copying native memory into a JS buffer with it costs less than Bun's toArrayBuffer views.
  defs.memcpy = { args: ["ptr", "ptr", "u64"], returns: "void" };
  const lib = ffi.dlopen(path, defs);
  const memcpy = lib.symbols.memcpy as (
    target: Uint8Array,
    source: unknown,
    length: number,
  ) => void;
  const wakers = queueWakers(ffi, path, lib.symbols.rd_kafka_queue_io_event_enable);
  const call: Record<string, (...args: unknown[]) => unknown> = {};
  const wait: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, spec] of Object.entries(symbols)) {
    const fn = lib.symbols[name] as (...args: unknown[]) => unknown;
    // Bun gives 0 or null for NULL; the transport expects null. 64-bit results are bigints.
    call[name] = spec.result === "ptr"
      ? (...args) => (fn(...args) || null)
      : spec.result === "usize"
      ? (...args) => Number(fn(...args))
      : fn;
    if (!("blocking" in spec)) continue;
    const sync = call[name];
    // Calls that wait on the network (metadata, committed, seek, destroy) block the JS thread:
    // a worker module is not in a `bun build --compile` binary, where calls sent to one never
    // returned.
    wait[name] = spec.blocking !== "poll"
      ? (...args) => Promise.resolve(sync(...args))
      : wakers
      ? wakers.waitFor(sync as never) as (...args: unknown[]) => Promise<unknown>
      : pollOnTimer(sync);
  }
  if (wakers) {
    // A queue's pipe is closed before the queue goes, so librdkafka never writes to a stale fd.
    const destroy = call.rd_kafka_queue_destroy;
    call.rd_kafka_queue_destroy = (queue) => {
      wakers.release(queue as Pointer);
      return destroy(queue);
    };
  }
  const address = (target: Pointer | Uint8Array) =>
    BigInt(target instanceof Uint8Array ? ffi.ptr(target) : target as unknown as number);
  return {
    path,
    call: call as unknown as NativeLibrary["call"],
    wait: wait as unknown as NativeLibrary["wait"],
    readI32: (pointer, offset) => ffi.read.i32(pointer, offset),
    readI64: (pointer, offset) => ffi.read.i64(pointer, offset),
    readPointer: (pointer, offset) => (ffi.read.ptr(pointer, offset) || null) as Pointer | null,
    readBytes: (pointer, offset, length) => {
      const bytes = new Uint8Array(length);
      if (length > 0) memcpy(bytes, (pointer as unknown as number) + offset, length);
      return bytes;
    },
    copyInto: (pointer, target) => {
      if (target.length > 0) memcpy(target, pointer, target.length);
    },
    readCString: (pointer) => new ffi.CString(pointer).toString(),
    address,
    pointerIn: (words, index) => {
      const address = words[index];
      return address === 0n ? null : Number(address) as unknown as Pointer;
    },
    pointer: (value) => (value == 0 ? null : Number(value) as unknown as Pointer),
    close: () => {
      wakers?.closeAll();
      lib.close();
    },
  };
}

/**
 * The queue wakers, or null where libc's `pipe2` is missing (it is Linux's):
 * libc is reached through librdkafka's handle, like memcpy above.
 */
function queueWakers(ffi: BunFfi, path: string, enable: unknown): QueueWakers | null {
  if (process.platform !== "linux") return null;
  let libc: BunFfi;
  try {
    libc = ffi.dlopen(path, {
      pipe2: { args: ["ptr", "i32"], returns: "i32" },
      close: { args: ["i32"], returns: "i32" },
    });
  } catch {
    return null;
  }
  const bun = (globalThis as unknown as { Bun: BunFfi }).Bun;
  return new QueueWakers(
    {
      pipe2: libc.symbols.pipe2,
      close: libc.symbols.close,
      enable: enable as QueueWakersEnable,
    },
    (fd) => bun.file(fd).stream().getReader(),
  );
}

type QueueWakersEnable = ConstructorParameters<typeof QueueWakers>[0]["enable"];

/** Runs a `(…, timeoutMs) => result | null` poll with timeout 0 until a result or the deadline. */
function pollOnTimer(
  poll: (...args: unknown[]) => unknown,
): (...args: unknown[]) => Promise<unknown> {
  return async (...args) => {
    const timeoutMs = args[args.length - 1] as number;
    const now = args.slice(0, -1).concat(0);
    const deadline = Date.now() + timeoutMs;
    let backoff = 1;
    for (;;) {
      const result = poll(...now);
      if (result !== null) return result;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return null;
      await sleep(Math.min(backoff, remaining));
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
  };
}
