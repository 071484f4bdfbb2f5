/**
 * `flowodm register`: registers the schema of every model a module exports.
 *
 * @module
 */
import { RegistryError } from "../../errors.ts";
import { type Command, required } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { loadModels } from "../load_models.ts";

interface Outcome {
  readonly model: string;
  readonly export: string;
  readonly subject: string;
  /** registered, unchanged, would-register, incompatible */
  readonly status: string;
  readonly id: number | null;
  readonly version: number | null;
  readonly messages: readonly string[];
}

/** The `register` command. */
export const register: Command = {
  name: "register",
  summary: "register every exported model's schema under its subject",
  synopsis: "--models <module> [--dry-run]",
  options: {
    models: {
      type: "string",
      value: "<module>",
      description: "TypeScript/JavaScript module exporting models",
    },
    "dry-run": { type: "boolean", description: "say what would be registered; change nothing" },
  },
  async run({ output, registry }, values) {
    const modules = required(values, "models", "register");
    const dryRun = Boolean(values["dry-run"]);
    const outcomes: Outcome[] = [];
    for (const { exportName, model } of await loadModels(modules)) {
      const schema = JSON.stringify(model.avroSchema);
      const base = { model: model.name, export: exportName, subject: model.subject };
      const existing = await registry().lookup(model.subject, schema);
      if (existing) {
        outcomes.push({
          ...base,
          status: "unchanged",
          id: existing.id,
          version: existing.version,
          messages: [],
        });
        continue;
      }
      const verdict = await registry().testCompatibility(model.subject, schema);
      if (!verdict.isCompatible) {
        outcomes.push({
          ...base,
          status: "incompatible",
          id: null,
          version: null,
          messages: verdict.messages,
        });
        continue;
      }
      if (dryRun) {
        outcomes.push({ ...base, status: "would-register", id: null, version: null, messages: [] });
        continue;
      }
      try {
        const id = await registry().register(model.subject, schema);
        const found = await registry().lookup(model.subject, schema);
        outcomes.push({
          ...base,
          status: "registered",
          id,
          version: found?.version ?? null,
          messages: [],
        });
      } catch (error) {
        if (!(error instanceof RegistryError) || error.status !== 409) throw error;
        outcomes.push({
          ...base,
          status: "incompatible",
          id: null,
          version: null,
          messages: [error.message],
        });
      }
    }
    const ok = outcomes.every((outcome) => outcome.status !== "incompatible");
    output.result({ command: "register", ok, dryRun, models: outcomes });
    const paint = (status: string) =>
      status === "incompatible"
        ? output.paint.red
        : status === "unchanged"
        ? output.paint.dim
        : output.paint.green;
    output.table(
      ["MODEL", "SUBJECT", "STATUS", "ID", "VERSION"],
      outcomes.map((o) => [
        o.model,
        o.subject,
        { text: o.status, paint: paint(o.status) },
        o.id ?? "-",
        o.version ?? "-",
      ]),
    );
    for (const o of outcomes) {
      for (const message of o.messages) output.text(`  ${o.model}: ${message}`);
    }
    if (!ok) {
      output.text(
        "incompatible schemas were not registered: see why with `flowodm check-compatibility --models " +
          `${modules}\`, or relax the level with \`flowodm set-compatibility\``,
      );
    }
    return ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};
