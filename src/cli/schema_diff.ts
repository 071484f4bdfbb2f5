/**
 * Differences between a kept Avro schema (an `.avsc` file, or a registered
 * version) and a model's generated one, said field by field. Documentation-only differences are
 * warnings; anything that changes the data is an error.
 *
 * @module
 */

const shown = 10;

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/** Record fields keyed by name, so that a reordering reads as one difference, not many. */
function keyed(value: unknown): unknown {
  if (Array.isArray(value) && value.every((item) => typeof item?.name === "string")) {
    return Object.fromEntries(value.map((item) => [item.name, item]));
  }
  return value;
}

function differences(
  kept: unknown,
  model: unknown,
  path: string,
  out: string[],
  keptName: string,
): void {
  if (JSON.stringify(kept) === JSON.stringify(model)) return;
  const isObject = (v: unknown) => typeof v === "object" && v !== null;
  if (isObject(kept) && isObject(model) && Array.isArray(kept) === Array.isArray(model)) {
    const a = keyed(kept) as Record<string, unknown>;
    const b = keyed(model) as Record<string, unknown>;
    if (Array.isArray(a) !== Array.isArray(b)) {
      out.push(
        `${path || "(root)"}: ${keptName} has ${describe(kept)}, model has ${describe(model)}`,
      );
      return;
    }
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differences(a[key], b[key], path ? `${path}.${key}` : key, out, keptName);
    }
    return;
  }
  out.push(`${path || "(root)"}: ${keptName} has ${describe(kept)}, model has ${describe(model)}`);
}

function withoutDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDocs);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => key !== "doc").map(([k, v]) => [k, withoutDocs(v)]),
  );
}

/**
 * Compares a kept schema with the model's; `label` names it in messages and
 * `keptName` says who has it ("file", "registry").
 */
export function compareSchemas(
  kept: unknown,
  model: unknown,
  label: string,
  keptName = "file",
): { errors: string[]; warnings: string[] } {
  const all: string[] = [];
  differences(withoutDocs(kept), withoutDocs(model), "", all, keptName);
  if (all.length > 0) {
    const more = all.length > shown ? [`... and ${all.length - shown} more differences`] : [];
    return {
      errors: [...all.slice(0, shown).map((line) => `differs from ${label} at ${line}`), ...more],
      warnings: [],
    };
  }
  const docs: string[] = [];
  differences(kept, model, "", docs, keptName);
  return docs.length > 0
    ? { errors: [], warnings: [`documentation differs from ${label}: ${docs.join("; ")}`] }
    : { errors: [], warnings: [] };
}
