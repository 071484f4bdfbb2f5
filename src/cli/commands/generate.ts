/**
 * `flowodm generate`: a TypeScript module with the Valibot model of a
 * registered schema.
 *
 * @module
 */
import { generateModelSource } from "../../avro/generate_model_source.ts";
import type { AvroSchema } from "../../avro/to_avro_schema.ts";
import { SchemaError } from "../../errors.ts";
import { type Command, optional, required, versionOption, writeProduct } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { fetchVersion } from "../missing.ts";

/** Topic of a subject named by the topic strategy (`<topic>-value`), else the subject itself. */
function topicOf(subject: string): string {
  return subject.replace(/-(value|key)$/, "");
}

function identifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** The `generate` command. */
export const generate: Command = {
  name: "generate",
  summary: "print a TypeScript module with the Valibot model of a registered schema",
  synopsis:
    "--subject <subject> [--version <n>] [--topic <topic>] [--import-from <specifier>] [--out <file.ts>]",
  options: {
    subject: { type: "string", value: "<subject>", description: "the subject" },
    version: { type: "string", value: "<n|latest>", description: "the version (default: latest)" },
    topic: {
      type: "string",
      value: "<topic>",
      description: "the model's topic (default: the subject less -value)",
    },
    "import-from": {
      type: "string",
      value: "<specifier>",
      description: "where defineModel is imported from (default: @flowodm/flowodm)",
    },
    out: {
      type: "string",
      value: "<file.ts>",
      description: "write the module there instead of stdout",
    },
  },
  async run({ output, registry }, values) {
    const subject = required(values, "subject", "generate");
    const version = versionOption(values, "version");
    const file = optional(values, "out");
    const found = await fetchVersion(registry(), subject, version);
    const avro = JSON.parse(found.schema) as AvroSchema & {
      type?: string;
      name?: string;
      namespace?: string;
    };
    if (typeof avro !== "object" || avro.type !== "record" || !avro.name) {
      throw new SchemaError(
        `${subject} version ${found.version} is not an Avro record schema: only records become models`,
      );
    }
    const topic = optional(values, "topic") ?? topicOf(subject);
    const shortName = avro.name.slice(avro.name.lastIndexOf(".") + 1);
    const namespace = avro.namespace ??
      (avro.name.includes(".") ? avro.name.slice(0, avro.name.lastIndexOf(".")) : undefined);
    const settings: Record<string, unknown> = { topic };
    if (namespace) settings.namespace = namespace;
    if (subject !== `${topic}-value`) settings.schemaSubject = subject;
    const source = generateModelSource(avro, {
      modelName: identifier(shortName),
      settings,
      importFrom: optional(values, "import-from"),
    });
    if (file) await writeProduct(file, source, "out");
    output.result({
      command: "generate",
      ok: true,
      subject: found.subject,
      version: found.version,
      id: found.id,
      model: identifier(shortName),
      out: file ?? null,
      source,
    });
    if (file) {
      output.text(
        `wrote the ${identifier(shortName)} model of ${subject} v${found.version} to ${file}`,
      );
    } else output.product(source);
    return ExitCode.ok;
  },
};
