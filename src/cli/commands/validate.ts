/**
 * `flowodm validate`: every model a module exports against the registry or
 * against `.avsc` files kept in the repository.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../../errors.ts";
import type { Model } from "../../model/define_model.ts";
import { noReasonGiven, validateAgainstRegistry } from "../../model/registry_checks.ts";
import { type Command, type CommandContext, optional, required } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { loadModels } from "../load_models.ts";
import { explainUnexplainedRefusal } from "../registry_diff.ts";
import { compareSchemas } from "../schema_diff.ts";

interface Verdict {
  readonly model: string;
  readonly export: string;
  readonly subject: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

async function againstFile(model: Model<unknown>, dir: string): Promise<Omit<Verdict, "export">> {
  const base = { model: model.name, subject: model.subject };
  const candidates = [`${model.subject}.avsc`, `${model.name}.avsc`].map((file) => join(dir, file));
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      continue;
    }
    let kept: unknown;
    try {
      kept = JSON.parse(text);
    } catch (error) {
      return {
        ...base,
        errors: [`${path} is not JSON: ${(error as Error).message}`],
        warnings: [],
      };
    }
    return { ...base, ...compareSchemas(kept, model.avroSchema, path) };
  }
  return {
    ...base,
    errors: [
      `no ${
        candidates.join(" or ")
      }: write it with \`flowodm get-schema --subject ${model.subject} --output ${candidates[0]}\``,
    ],
    warnings: [],
  };
}

async function againstRegistry(
  model: Model<unknown>,
  context: CommandContext,
): Promise<Omit<Verdict, "export">> {
  const connected = model.withConnection(context.connection());
  const { errors, warnings } = await validateAgainstRegistry(connected);
  const explained = errors.some((error) => error.endsWith(noReasonGiven))
    ? [
      ...errors,
      ...await explainUnexplainedRefusal(
        connected.connection.registry(),
        model.subject,
        model.avroSchema,
      ),
    ]
    : errors;
  return { model: model.name, subject: model.subject, errors: explained, warnings };
}

/** The `validate` command. */
export const validate: Command = {
  name: "validate",
  summary: "check that every exported model's Avro schema matches the registry or .avsc files",
  synopsis: "--models <module> (--registry | --schemas-dir <dir>) [--strict]",
  options: {
    models: {
      type: "string",
      value: "<module>",
      description: "TypeScript/JavaScript module exporting models",
    },
    registry: {
      type: "boolean",
      description: "compare with the latest schema of each model's subject",
    },
    "schemas-dir": {
      type: "string",
      value: "<dir>",
      description: "compare with <dir>/<subject>.avsc (or <dir>/<Name>.avsc)",
    },
    strict: { type: "boolean", description: "treat warnings as failures" },
  },
  async run(context, values) {
    const modules = required(values, "models", "validate");
    const dir = optional(values, "schemas-dir");
    if (Boolean(values.registry) === (dir !== undefined)) {
      throw new ConfigError(
        "validate needs exactly one of --registry and --schemas-dir <dir>; see flowodm validate --help",
      );
    }
    const strict = Boolean(values.strict);
    const verdicts: Verdict[] = [];
    for (const { exportName, model } of await loadModels(modules)) {
      const verdict = dir === undefined
        ? await againstRegistry(model, context)
        : await againstFile(model, dir);
      verdicts.push({ ...verdict, export: exportName });
    }
    const failed = (v: Verdict) => v.errors.length > 0 || (strict && v.warnings.length > 0);
    const ok = !verdicts.some(failed);
    const { output } = context;
    output.result({
      command: "validate",
      ok,
      strict,
      against: dir === undefined ? "registry" : dir,
      models: verdicts.map((v) => ({
        model: v.model,
        export: v.export,
        subject: v.subject,
        ok: !failed(v),
        errors: v.errors,
        warnings: v.warnings,
      })),
    });
    output.table(
      ["MODEL", "SUBJECT", "STATUS"],
      verdicts.map((v) => [
        v.export === v.model ? v.model : `${v.export} (${v.model})`,
        v.subject,
        v.errors.length
          ? { text: "invalid", paint: output.paint.red }
          : v.warnings.length
          ? { text: strict ? "warning (strict: fails)" : "warning", paint: output.paint.yellow }
          : { text: "ok", paint: output.paint.green },
      ]),
    );
    for (const v of verdicts) {
      for (const error of v.errors) output.text(`  ${v.model}: ${error}`);
      for (const warning of v.warnings) output.text(`  ${v.model}: warning: ${warning}`);
    }
    const bad = verdicts.filter(failed).length;
    output.text(
      ok ? output.paint.green(`${verdicts.length} model(s) valid`) : output.paint.red(
        `${bad} of ${verdicts.length} model(s) failed${
          strict && verdicts.some((v) => v.warnings.length) ? " (--strict: warnings fail)" : ""
        }; fix the models or register their schemas (flowodm register --models ${modules})`,
      ),
    );
    return ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};
