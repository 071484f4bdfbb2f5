/**
 * Avro `record`: one generated function per record type that writes its
 * fields in order, straight from the model's object (no copy). A field with
 * a default that the value leaves `undefined` gets the default's bytes, as
 * avsc writes it (an absent optional is its null branch).
 */
import type { AvscField, Write } from "./writer_types.ts";
import { copyBytes } from "./scalars.ts";
import { inlineCode, inlinePrelude, inlineScope } from "./inline_fields.ts";

/** A field to write: its name, its writer, and its default's bytes if it has a default. */
export interface FieldPlan {
  readonly name: string;
  readonly write: Write;
  readonly defaultBytes?: Uint8Array;
}

/** The default's bytes as avsc writes them; undefined for a field without a default. */
export function defaultBytesOf(field: AvscField): Uint8Array | undefined {
  const value = field.defaultValue();
  return value === undefined ? undefined : new Uint8Array(field.type.toBuffer(value));
}

/**
 * The writer of a record with these fields. Generated code reads each field
 * once, by a literal property name (one inline-cached load), and writes
 * small fixed-width fields in place (see inline_fields.ts).
 */
export function recordWriter(fields: readonly FieldPlan[]): Write {
  const names: string[] = Object.keys(inlineScope);
  const values: unknown[] = Object.values(inlineScope);
  let body = `${inlinePrelude}\nreturn function writeRecord(t, p, v) {\n  var x;\n`;
  fields.forEach((field, i) => {
    names.push(`w${i}`);
    values.push(field.write);
    body += `  x = v[${JSON.stringify(field.name)}];\n`;
    if (field.defaultBytes) {
      names.push(`d${i}`);
      values.push(field.defaultBytes);
      body += `  if (x === undefined) p = copy(t, p, d${i});\n  else `;
    } else {
      body += "  ";
    }
    const inline = inlineCode(field.write, `w${i}`);
    body += inline ? `{ ${inline} }\n` : `p = w${i}(t, p, x);\n`;
  });
  body += "  return p;\n};";
  return new Function("copy", ...names, body)(copyBytes, ...values) as Write;
}
