/**
 * `flowodm get-schema`: a registered schema, printed or written to a file.
 *
 * @module
 */
import { type Command, optional, required, versionOption, writeProduct } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { fetchVersion } from "../missing.ts";

/** The `get-schema` command. */
export const getSchema: Command = {
  name: "get-schema",
  summary: "print a registered schema or write it to a file",
  synopsis: "--subject <subject> [--version <n|latest>] [--output <file>]",
  options: {
    subject: { type: "string", value: "<subject>", description: "the subject" },
    version: { type: "string", value: "<n|latest>", description: "the version (default: latest)" },
    output: {
      type: "string",
      value: "<file>",
      description: "write the schema there instead of stdout",
    },
  },
  async run({ output, registry }, values) {
    const subject = required(values, "subject", "get-schema");
    const version = versionOption(values, "version");
    const file = optional(values, "output");
    const found = await fetchVersion(registry(), subject, version);
    const schema = JSON.parse(found.schema);
    const pretty = JSON.stringify(schema, null, 2) + "\n";
    if (file) await writeProduct(file, pretty, "output");
    output.result({
      command: "get-schema",
      ok: true,
      subject: found.subject,
      version: found.version,
      id: found.id,
      schema,
      output: file ?? null,
    });
    if (file) {
      output.text(`wrote ${subject} version ${found.version} (id ${found.id}) to ${file}`);
    } else {
      output.product(pretty);
    }
    return ExitCode.ok;
  },
};
