/**
 * What a failed `fetch` says, in full. Runtimes word the same failure
 * differently: Node and Deno throw `fetch failed` and keep the reason (Node's
 * `ECONNREFUSED`, Deno's `Connection refused`) in `cause`; Bun puts it in the
 * message. Deno without `--allow-net` throws `NotCapable` (before 2.0
 * `PermissionDenied`), which is a permission of the run, not a fault of the
 * registry, so it is told apart.
 */

/** The error's message followed by those of its causes, e.g. `fetch failed: connect ECONNREFUSED ...`. */
export function fetchFailureText(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    const text = current instanceof Error ? current.message : String(current);
    if (text && !parts.some((part) => part.includes(text))) parts.push(text);
    const errors = (current as { errors?: unknown[] })?.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      // An AggregateError (Node tries each address of a name): the first says enough.
      parts.push(fetchFailureText(errors[0]));
      break;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ") || "no reason given";
}

/** Whether the runtime refused the request for lack of a permission (Deno's `--allow-net`). */
export function isPermissionDenial(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === "NotCapable" || name === "PermissionDenied";
}
