/**
 * avsc trusts the block counts and sizes of arrays and maps. Hostile ones
 * make it loop or allocate without end: a negative block size moves a skip
 * backwards forever, and a count of 2^40 in a 10-byte message makes a read
 * build 2^40 items (past the end of the buffer, or of zero bytes each, such
 * as nulls). These reads and skips stop at the end of the buffer, refuse
 * negative sizes and counts larger than the bytes left, and cap arrays of
 * zero-byte items at {@link MAX_ZERO_BYTE_ITEMS}.
 */
import type avro from "avsc";

/** Most items an array of zero-byte items (nulls, empty records) may hold when read. */
export const MAX_ZERO_BYTE_ITEMS = 1 << 20;

interface Tap {
  buf: Uint8Array;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
  skipString(): void;
}

interface ItemType {
  _read(tap: Tap): unknown;
  _skip(tap: Tap): void;
}

interface Container {
  readonly itemsType?: ItemType;
  readonly valuesType?: ItemType;
}

interface ContainerPrototype {
  _read(this: Container, tap: Tap): unknown;
  _skip(this: Container, tap: Tap): void;
}

function invalidate(tap: Tap): void {
  tap.pos = tap.buf.length + 1; // avsc then reports a truncated buffer
}

function overrun(tap: Tap): boolean {
  return tap.pos > tap.buf.length;
}

/** A block's item count; a negative count is followed by the block's byte size. */
function blockCount(tap: Tap): number {
  const n = tap.readLong();
  if (n >= 0) return n;
  tap.skipLong();
  return -n;
}

/** What {@link zeroByte} reads of an avsc type. */
export interface SchemaShape {
  readonly typeName: string;
  readonly fields?: readonly { readonly type: SchemaShape }[];
  readonly size?: number;
  readonly underlyingType?: SchemaShape;
}

const zeroByteCache = new WeakMap<object, boolean>();

/** Whether every value of the type is written in zero bytes (null, empty records, fixed(0)). */
export function zeroByte(type: SchemaShape, visiting = new Set<SchemaShape>()): boolean {
  const known = zeroByteCache.get(type);
  if (known !== undefined) return known;
  if (visiting.has(type)) return false; // a record that holds itself is never empty
  visiting.add(type);
  const name = type.typeName;
  const result = name === "null" ||
    (name === "fixed" && type.size === 0) ||
    ((name === "record" || name === "error") &&
      type.fields!.every((field) => zeroByte(field.type, visiting))) ||
    (name.startsWith("logical:") && zeroByte(type.underlyingType!, visiting));
  zeroByteCache.set(type, result);
  return result;
}

/**
 * Whether a block of `n` items can be there: each needs a byte of what is
 * left, unless the items take none, when only the cap bounds them. One
 * comparison per block on the common path.
 */
function blockFits(tap: Tap, n: number, items: unknown, total: number): boolean {
  if (n <= tap.buf.length - tap.pos) return true;
  return zeroByte(items as SchemaShape) && total + n <= MAX_ZERO_BYTE_ITEMS;
}

/** Skips every item of an array or map, jumping over blocks that carry their byte size. */
function skipItems(tap: Tap, skipItem: (tap: Tap) => void): void {
  for (let n = tap.readLong(); n !== 0; n = tap.readLong()) {
    if (overrun(tap)) return invalidate(tap);
    if (n < 0) {
      const size = tap.readLong();
      if (size < 0) return invalidate(tap);
      tap.pos += size;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const before = tap.pos;
      skipItem(tap);
      if (overrun(tap)) return invalidate(tap);
      if (tap.pos === before) break; // zero-byte items: the rest of the block is empty too
    }
  }
}

let installed = false;

/**
 * Bounds avsc's array and map reads and skips, once per process. avsc freezes
 * its type objects, so the change is made on the two prototypes (resolvers
 * copy `_read` when created, after this runs); well-formed data reads and
 * skips exactly as before.
 */
export function installBoundedBlocks(types: typeof avro.types): void {
  if (installed) return;
  installed = true;
  const array = (types.ArrayType as unknown as { prototype: ContainerPrototype }).prototype;
  const map = (types.MapType as unknown as { prototype: ContainerPrototype }).prototype;
  array._read = function (tap) {
    const items = this.itemsType!;
    let out: unknown[] | undefined;
    let i = 0;
    for (let n = blockCount(tap); n !== 0; n = blockCount(tap)) {
      if (!blockFits(tap, n, items, i)) {
        invalidate(tap);
        return out ?? [];
      }
      out ??= new Array(n); // sized by the first block, as avsc does
      while (n--) out[i++] = items._read(tap);
    }
    return out ?? [];
  };
  array._skip = function (tap) {
    const items = this.itemsType!;
    skipItems(tap, (t) => items._skip(t));
  };
  map._read = function (tap) {
    const values = this.valuesType!;
    const out: Record<string, unknown> = {};
    for (let n = blockCount(tap); n !== 0; n = blockCount(tap)) {
      // Every entry has a key of at least one byte, so the bytes left bound the count.
      if (n > tap.buf.length - tap.pos) {
        invalidate(tap);
        return out;
      }
      for (let i = 0; i < n; i++) {
        const key = tap.readString();
        out[key] = values._read(tap);
      }
    }
    return out;
  };
  map._skip = function (tap) {
    const values = this.valuesType!;
    skipItems(tap, (t) => {
      t.skipString();
      values._skip(t);
    });
  };
}
