/**
 * What the `ffi` transport needs from a runtime: librdkafka's functions and a
 * few ways to read native memory. `deno.ts` and `bun.ts` each provide one;
 * everything else in this folder is written against this interface only.
 *
 * @module
 */
import type { NativeResult, NativeType, Symbols } from "./symbols.ts";

declare const pointerBrand: unique symbol;

/** A native address, opaque to the transport; null is C's NULL. */
export type Pointer = { readonly [pointerBrand]: true };

type JsArg<T extends NativeType> = T extends "ptr" ? Pointer | null
  : T extends "buf" ? Uint8Array | null
  : T extends "i64" ? bigint
  // A bigint is the fast form on Deno, whose fast calls take 64-bit integers as bigints.
  : T extends "usize" ? number | bigint
  : number;

type JsResult<T extends NativeResult> = T extends "ptr" ? Pointer | null
  : T extends "i64" ? bigint
  : T extends "void" ? void
  : number;

type JsArgs<A extends readonly NativeType[]> = { [K in keyof A]: JsArg<A[K]> };

/** The table's functions, called on the JS thread. */
export type SyncFunctions = {
  [K in keyof Symbols]: (...args: JsArgs<Symbols[K]["args"]>) => JsResult<Symbols[K]["result"]>;
};

type BlockingNames = {
  [K in keyof Symbols]: Symbols[K] extends { blocking: string } ? K : never;
}[keyof Symbols];

/** The table's blocking functions, run so that the JS thread never waits on them. */
export type BlockingFunctions = {
  [K in BlockingNames]: (
    ...args: JsArgs<Symbols[K]["args"]>
  ) => Promise<JsResult<Symbols[K]["result"]>>;
};

/** librdkafka opened by one runtime's FFI. */
export interface NativeLibrary {
  /** Where it was loaded from. */
  readonly path: string;
  readonly call: SyncFunctions;
  readonly wait: BlockingFunctions;
  readI32(pointer: Pointer, offset: number): number;
  readI64(pointer: Pointer, offset: number): bigint;
  readPointer(pointer: Pointer, offset: number): Pointer | null;
  /** A copy of `length` bytes, safe to keep after the memory is freed. */
  readBytes(pointer: Pointer, offset: number, length: number): Uint8Array;
  /** Copies `target.length` bytes at `pointer` into `target`. */
  copyInto(pointer: Pointer, target: Uint8Array): void;
  /** The NUL-terminated UTF-8 string at `pointer`. */
  readCString(pointer: Pointer): string;
  /** The numeric address of a pointer or of a buffer's first byte. */
  address(target: Pointer | Uint8Array): bigint;
  /** The pointer at `words[index]`, a buffer native code filled (0 gives null). */
  pointerIn(words: BigUint64Array, index: number): Pointer | null;
  /** A pointer from a numeric address (0 gives null). */
  pointer(address: bigint | number): Pointer | null;
  close(): void;
}

/** Opens librdkafka at a path or system name; throws when it cannot. */
export type OpenLibrary = (path: string) => NativeLibrary;
