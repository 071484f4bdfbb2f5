/**
 * `flowodm check-compatibility`: asks the registry whether models' schemas
 * may be registered, at the subject's level or another one (transitive levels
 * check every version), and prints the registry's reasons when not; when it
 * gives none, says so and prints how the schema differs from the latest version.
 *
 * @module
 */
import { ConfigError, RegistryError } from "../../errors.ts";
import { checkCompatibility } from "../../model/registry_checks.ts";
import type { CompatibilityLevel, SchemaRegistry } from "../../registry/types.ts";
import { type Command, levelOption, optional } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { type LoadedModel, loadModel, loadModels } from "../load_models.ts";
import { explainUnexplainedRefusal } from "../registry_diff.ts";

async function effectiveLevel(
  registry: SchemaRegistry,
  subject: string,
): Promise<CompatibilityLevel> {
  try {
    return await registry.compatibility(subject);
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) {
      return await registry.compatibility();
    }
    throw error;
  }
}

/** The `check-compatibility` command. */
export const checkCompatibilityCommand: Command = {
  name: "check-compatibility",
  summary: "check whether models' schemas may be registered, and say why not",
  synopsis: "(--model <module#Export> [--subject <subject>] | --models <module>) [--level <LEVEL>]",
  options: {
    model: {
      type: "string",
      value: "<module#Export>",
      description: "one model, e.g. models.ts#Order",
    },
    subject: {
      type: "string",
      value: "<subject>",
      description: "check against this subject instead of the model's",
    },
    models: { type: "string", value: "<module>", description: "every model the module exports" },
    level: {
      type: "string",
      value: "<LEVEL>",
      description:
        "level to check at (default: the subject's own); *_TRANSITIVE checks every version",
    },
  },
  async run({ output, registry, connection }, values) {
    const one = optional(values, "model");
    const all = optional(values, "models");
    const subjectOverride = optional(values, "subject");
    if ((one === undefined) === (all === undefined)) {
      throw new ConfigError(
        "check-compatibility needs exactly one of --model <module#Export> and --models <module>",
      );
    }
    if (subjectOverride !== undefined && one === undefined) {
      throw new ConfigError(
        "--subject goes with --model only: each of --models' models has its own subject",
      );
    }
    const level = levelOption(values, "level");
    const loaded: LoadedModel[] = one !== undefined
      ? [await loadModel(one)]
      : await loadModels(all!);
    const results = [];
    for (const { exportName, model } of loaded) {
      const subject = subjectOverride ?? model.subject;
      const versions = await registry().versions(subject).catch((error) => {
        if (error instanceof RegistryError && error.status === 404) return [];
        throw error;
      });
      const checkedAt = level ?? await effectiveLevel(registry(), subject);
      const verdict = await checkCompatibility(model.withConnection(connection()), {
        level,
        subject,
      });
      const unexplained = !verdict.isCompatible && verdict.messages.length === 0;
      results.push({
        model: model.name,
        export: exportName,
        subject,
        level: checkedAt,
        versions: versions.length,
        compatible: verdict.isCompatible,
        messages: verdict.messages,
        ...(unexplained
          ? { explanation: await explainUnexplainedRefusal(registry(), subject, model.avroSchema) }
          : {}),
      });
    }
    const ok = results.every((result) => result.compatible);
    output.result({ command: "check-compatibility", ok, models: results });
    output.table(
      ["MODEL", "SUBJECT", "LEVEL", "VERSIONS", "COMPATIBLE"],
      results.map((r) => [
        r.model,
        r.subject,
        r.level,
        r.versions,
        r.compatible
          ? { text: r.versions ? "yes" : "yes (no version yet)", paint: output.paint.green }
          : { text: "no", paint: output.paint.red },
      ]),
    );
    for (const r of results) {
      for (const message of r.messages) output.text(`  ${r.model}: ${message}`);
      for (const line of r.explanation ?? []) output.text(`  ${r.model}: ${line}`);
    }
    if (!ok) {
      output.text(
        "incompatible: make the change compatible (e.g. give new fields defaults), or choose another level",
      );
    }
    return ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};
