/** How bun:ffi spells the neutral types of symbols.ts; shared by the main thread and the worker. */
import type { NativeResult } from "./symbols.ts";

/** bun:ffi type names by neutral type. */
export const bunTypes: Record<NativeResult, string> = {
  ptr: "ptr",
  buf: "ptr",
  i32: "i32",
  i64: "i64",
  usize: "u64",
  void: "void",
};
