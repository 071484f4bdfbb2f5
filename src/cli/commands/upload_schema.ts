/**
 * `flowodm upload-schema`: registers an `.avsc` file under a subject.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { ConfigError, SchemaError } from "../../errors.ts";
import { type Command, levelOption, required } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";

/** The `upload-schema` command. */
export const uploadSchema: Command = {
  name: "upload-schema",
  summary: "register an Avro schema file under a subject",
  synopsis: "--avro <file.avsc> --subject <subject> [--compatibility <LEVEL>]",
  options: {
    avro: {
      type: "string",
      value: "<file.avsc>",
      description: "the Avro schema (JSON) to register",
    },
    subject: {
      type: "string",
      value: "<subject>",
      description: "the subject to register it under",
    },
    compatibility: {
      type: "string",
      value: "<LEVEL>",
      description:
        "set the subject's compatibility level first (NONE, BACKWARD, ..., FULL_TRANSITIVE)",
    },
  },
  async run({ output, registry }, values) {
    const file = required(values, "avro", "upload-schema");
    const subject = required(values, "subject", "upload-schema");
    const level = levelOption(values, "compatibility");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new ConfigError(
        `cannot read ${file}: ${(error as Error).message}; check the --avro path`,
      );
    }
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch (error) {
      throw new SchemaError(`${file} is not JSON: ${(error as Error).message}; fix the file`);
    }
    if (level) await registry().setCompatibility(level, subject);
    const schemaText = JSON.stringify(schema);
    const id = await registry().register(subject, schemaText);
    const found = await registry().lookup(subject, schemaText);
    output.result({
      command: "upload-schema",
      ok: true,
      subject,
      id,
      version: found?.version ?? null,
      compatibility: level ?? null,
    });
    output.text(
      `${output.paint.green("registered")} ${file} under ${subject}: id ${id}${
        found ? `, version ${found.version}` : ""
      }${level ? ` (compatibility ${level})` : ""}`,
    );
    return ExitCode.ok;
  },
};
