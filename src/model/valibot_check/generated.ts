/**
 * Checks written as code: one function per object or array schema, with
 * each field read by its name and simple tests inline, where closures per
 * field made every read a keyed lookup and every test a call. Where code
 * cannot be generated (a content security policy), closures are used.
 */

/** The function `body` over `names`, given `values`; undefined where `new Function` is refused. */
export function generated<F>(names: readonly string[], values: readonly unknown[], body: string) {
  try {
    return new Function(...names, body)(...values) as F;
  } catch (error) {
    if (error instanceof EvalError) return undefined;
    throw error;
  }
}
