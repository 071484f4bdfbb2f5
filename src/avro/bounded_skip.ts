/**
 * avsc skips a writer's array or map field (one the reader dropped) by trusting
 * its encoded block size: a negative size moves the read position backwards
 * and the skip never ends. These skips stop at the end of the buffer, refuse
 * negative sizes, and skip a block of zero-byte items at once.
 */
import type avro from "avsc";

interface Tap {
  buf: Uint8Array;
  pos: number;
  readLong(): number;
  skipString(): void;
}

interface SkippableType {
  readonly itemsType?: SkippableType;
  readonly valuesType?: SkippableType;
  _skip(tap: Tap): void;
}

function invalidate(tap: Tap): void {
  tap.pos = tap.buf.length + 1; // avsc then reports a truncated buffer
}

function boundedSkip(skipItem: (tap: Tap) => void): (tap: Tap) => void {
  return (tap) => {
    for (let n = tap.readLong(); n !== 0; n = tap.readLong()) {
      if (tap.pos > tap.buf.length) return invalidate(tap);
      if (n < 0) {
        const size = tap.readLong();
        if (size < 0) return invalidate(tap);
        tap.pos += size;
        continue;
      }
      for (let i = 0; i < n; i++) {
        const before = tap.pos;
        skipItem(tap);
        if (tap.pos > tap.buf.length) return invalidate(tap);
        if (tap.pos === before) break; // zero-byte items: the rest of the block is empty too
      }
    }
  };
}

interface ContainerPrototype {
  _skip(this: SkippableType, tap: Tap): void;
}

let installed = false;

/**
 * Bounds avsc's array and map skips, once per process. avsc freezes its type
 * objects, so the change is made on the two prototypes; for well-formed data
 * it skips exactly as before.
 */
export function installBoundedSkips(types: typeof avro.types): void {
  if (installed) return;
  installed = true;
  const array = (types.ArrayType as unknown as { prototype: ContainerPrototype }).prototype;
  const map = (types.MapType as unknown as { prototype: ContainerPrototype }).prototype;
  array._skip = function (tap) {
    const items = this.itemsType!;
    boundedSkip((t) => items._skip(t))(tap);
  };
  map._skip = function (tap) {
    const values = this.valuesType!;
    boundedSkip((t) => {
      t.skipString();
      values._skip(t);
    })(tap);
  };
}
