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

/** Visits every item of an array or map encoding; false once the data is found hostile. */
function eachItem(tap: Tap, visit: (tap: Tap) => void, skipBlocks: boolean, cap: number): void {
  let seen = 0;
  for (let n = tap.readLong(); n !== 0; n = tap.readLong()) {
    if (overrun(tap)) return invalidate(tap);
    if (n < 0) {
      const size = tap.readLong();
      if (size < 0) return invalidate(tap);
      if (skipBlocks) {
        tap.pos += size;
        continue;
      }
      n = -n;
    }
    for (let i = 0; i < n; i++) {
      const before = tap.pos;
      visit(tap);
      if (overrun(tap)) return invalidate(tap);
      if (i > 0) continue;
      if (tap.pos === before) {
        // Zero-byte items: the block's bytes say nothing about its count.
        if (skipBlocks) break;
        if (seen + n > cap) return invalidate(tap);
      } else if (n - 1 > tap.buf.length - tap.pos) {
        return invalidate(tap); // every further item needs at least a byte
      }
    }
    seen += n;
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
    const out: unknown[] = [];
    eachItem(tap, (t) => out.push(items._read(t)), false, MAX_ZERO_BYTE_ITEMS);
    return out;
  };
  array._skip = function (tap) {
    const items = this.itemsType!;
    eachItem(tap, (t) => items._skip(t), true, Infinity);
  };
  map._read = function (tap) {
    const values = this.valuesType!;
    const out: Record<string, unknown> = {};
    // Every entry has a key of at least one byte, so the bytes left bound the count.
    eachItem(
      tap,
      (t) => {
        const key = t.readString();
        out[key] = values._read(t);
      },
      false,
      Infinity,
    );
    return out;
  };
  map._skip = function (tap) {
    const values = this.valuesType!;
    eachItem(
      tap,
      (t) => {
        t.skipString();
        values._skip(t);
      },
      true,
      Infinity,
    );
  };
}
