/**
 * The `ffi` transport's binding for Deno: `Deno.dlopen`, with every blocking
 * librdkafka call also opened as a `nonblocking` symbol so it runs on a
 * worker thread and the JS thread never waits.
 *
 * @module
 */
import type { NativeLibrary, Pointer } from "./native.ts";
import { type NativeResult, type NativeType, symbols } from "./symbols.ts";

const denoTypes = {
  ptr: "pointer",
  buf: "buffer",
  i32: "i32",
  i64: "i64",
  usize: "usize",
  void: "void",
} as const satisfies Record<NativeResult, Deno.NativeResultType>;

const offThread = "$offThread";

function definitions(): Record<string, Deno.ForeignFunction> {
  const defs: Record<string, Deno.ForeignFunction> = {};
  for (const [name, spec] of Object.entries(symbols)) {
    const parameters = spec.args.map((t: NativeType) => denoTypes[t]);
    const result = denoTypes[spec.result];
    defs[name] = { parameters, result };
    if ("blocking" in spec) {
      defs[name + offThread] = { name, parameters, result, nonblocking: true };
    }
  }
  return defs;
}

const asPointer = (value: unknown) => value as Pointer | null;
const native = (pointer: Pointer) => pointer as unknown as Deno.PointerObject;

/** Opens librdkafka with `Deno.dlopen`. */
export function openLibrary(path: string): NativeLibrary {
  const lib = Deno.dlopen(path, definitions());
  pinLibrary(path);
  const raw = lib.symbols as Record<string, (...args: unknown[]) => unknown>;
  const call: Record<string, (...args: unknown[]) => unknown> = {};
  const wait: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, spec] of Object.entries(symbols)) {
    call[name] = normalizer(spec.result, raw[name]);
    if ("blocking" in spec) {
      const nonblocking = raw[name + offThread] as (...args: unknown[]) => Promise<unknown>;
      const normalize = resultNormalizer(spec.result);
      wait[name] = async (...args) => normalize(await nonblocking(...args));
    }
  }
  return {
    path,
    call: call as unknown as NativeLibrary["call"],
    wait: wait as unknown as NativeLibrary["wait"],
    readI32: (pointer, offset) => new Deno.UnsafePointerView(native(pointer)).getInt32(offset),
    readI64: (pointer, offset) => new Deno.UnsafePointerView(native(pointer)).getBigInt64(offset),
    readPointer: (pointer, offset) =>
      asPointer(new Deno.UnsafePointerView(native(pointer)).getPointer(offset)),
    readBytes: (pointer, offset, length) => {
      const bytes = new Uint8Array(length);
      if (length > 0) new Deno.UnsafePointerView(native(pointer)).copyInto(bytes, offset);
      return bytes;
    },
    copyInto: (pointer, target) => {
      if (target.length > 0) new Deno.UnsafePointerView(native(pointer)).copyInto(target);
    },
    readCString: (pointer) => Deno.UnsafePointerView.getCString(native(pointer)),
    address: (target) =>
      BigInt(Deno.UnsafePointer.value(
        target instanceof Uint8Array
          ? Deno.UnsafePointer.of(target as Uint8Array<ArrayBuffer>)
          : native(target),
      )),
    pointerIn: (words, index) => {
      const address = words[index];
      return address === 0n ? null : asPointer(Deno.UnsafePointer.create(address));
    },
    pointer: (address) => asPointer(Deno.UnsafePointer.create(BigInt(address))),
    close: () => lib.close(),
  };
}

/** `dlopen` flags RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE, per OS. */
const pinFlags: Partial<Record<typeof Deno.build.os, number>> = {
  linux: 0x2 | 0x4 | 0x1000,
  darwin: 0x2 | 0x10 | 0x80,
};

const dlopenSymbol = { dlopen: { parameters: ["buffer", "i32"], result: "pointer" } } as const;

/**
 * Keeps librdkafka mapped until the process ends. Deno unloads a library
 * when its runtime shuts down, also on an uncaught error, while librdkafka's
 * threads and an off-thread poll may still run in it: the user's error would
 * end in a segfault. Opening the loaded library again with RTLD_NODELETE
 * (libc's `dlopen`, reached through librdkafka's own handle) forbids the unmap.
 */
function pinLibrary(path: string): void {
  const flags = pinFlags[Deno.build.os];
  if (flags === undefined) return;
  let libc: Deno.DynamicLibrary<typeof dlopenSymbol>;
  try {
    libc = Deno.dlopen(path, dlopenSymbol);
  } catch {
    return; // no `dlopen` reachable from the library: it stays unpinned, as before pinning existed
  }
  try {
    libc.symbols.dlopen(new TextEncoder().encode(path + "\0"), flags);
  } finally {
    libc.close();
  }
}

function resultNormalizer(result: NativeResult): (value: unknown) => unknown {
  if (result === "i64") return (value) => BigInt(value as number | bigint);
  if (result === "usize") return (value) => Number(value);
  return (value) => value;
}

function normalizer(
  result: NativeResult,
  fn: (...args: unknown[]) => unknown,
): (...args: unknown[]) => unknown {
  if (result === "i64" || result === "usize") {
    const normalize = resultNormalizer(result);
    return (...args) => normalize(fn(...args));
  }
  return fn;
}
