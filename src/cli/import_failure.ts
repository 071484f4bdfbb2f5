/**
 * Why a user's module did not import, with where. Bun reports a syntax error
 * as a `BuildMessage` (an `AggregateError` of them when there are several)
 * whose message has no location: the location is in `position`. Deno puts it
 * in the message already. A models file using `Deno.env` fails in the
 * Bun-built binary; the hint names the portable way.
 *
 * @module
 */

interface Position {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly lineText?: string;
}

function located(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const position = (error as { position?: Position | null })?.position;
  if (!position?.file || !position.line) return message;
  const where = `${position.file}:${position.line}${position.column ? `:${position.column}` : ""}`;
  const text = position.lineText?.trim();
  return `${message} at ${where}${text ? ` (${text})` : ""}`;
}

/** The reason to print for an import that threw, and a hint when one applies. */
export function importFailure(error: unknown): { reason: string; hint?: string } {
  const errors = (error as { errors?: unknown[] })?.errors;
  const reason = Array.isArray(errors) && errors.length > 0
    ? errors.map(located).join("; ")
    : located(error);
  if (/\bDeno is not defined\b/.test(reason)) {
    return {
      reason,
      hint: "this flowodm binary runs on Bun, which has no `Deno` global: read settings with " +
        "`process.env.NAME` (from node:process; it works on Deno, Bun and Node) instead of " +
        "`Deno.env.get(NAME)`",
    };
  }
  return { reason };
}
