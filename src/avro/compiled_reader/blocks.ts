/**
 * The limits on array and map blocks, the same as bounded_blocks.ts puts on
 * avsc: a block cannot hold more items than bytes are left, unless its items
 * take no bytes (nulls, empty records), when at most MAX_ZERO_BYTE_ITEMS.
 */
import { MAX_ZERO_BYTE_ITEMS } from "../bounded_blocks.ts";
import { remaining } from "./cursor.ts";

/** Refuses an array block of `count` items that the body cannot hold. */
export function checkItems(count: number, zeroByteItems: boolean, total: number): void {
  if (count <= remaining()) return;
  if (zeroByteItems && total + count <= MAX_ZERO_BYTE_ITEMS) return;
  throw new Error(
    zeroByteItems
      ? `an array of ${total + count} empty items is past the limit of ${MAX_ZERO_BYTE_ITEMS}`
      : `truncated buffer: an array block of ${count} items cannot fit in the ${remaining()} bytes left`,
  );
}

/** Refuses a map block of `count` entries (each key takes a byte at least) that the body cannot hold. */
export function checkEntries(count: number): void {
  if (count <= remaining()) return;
  throw new Error(
    `truncated buffer: a map block of ${count} entries cannot fit in the ${remaining()} bytes left`,
  );
}
