/**
 * Imports a user's TypeScript or JavaScript module and finds the models it
 * exports. In a binary built by `bun build --compile`, `valibot` and
 * FlowODM (by name or by path) are served from the binary itself, so a models
 * file needs no node_modules beside it (see provided_modules.ts). A binary built by `deno compile` can only
 * import modules embedded at compile time (`--include`); the error says so.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, SchemaError } from "../errors.ts";
import type { Model } from "../model/define_model.ts";
import { isModel } from "../model/is_model.ts";
import { importFailure } from "./import_failure.ts";
import { provideLibraryToBun } from "./provided_modules.ts";
import { denoNamespace } from "../runtime.ts";

/** A model and the name it is exported under. */
export interface LoadedModel {
  readonly exportName: string;
  readonly model: Model<unknown>;
}

function isStandaloneDeno(): boolean {
  const deno = denoNamespace() as { build: { standalone?: boolean } } | undefined;
  return Boolean(deno?.build.standalone);
}

/** Imports a user's module by path; `option` names the flag that gave it, for messages. */
export async function importModule(
  path: string,
  option = "--models/--model/--consumers",
): Promise<Record<string, unknown>> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new ConfigError(`no module at ${absolute}: check the path given to ${option}`);
  }
  await provideLibraryToBun();
  try {
    return await import(pathToFileURL(absolute).href);
  } catch (cause) {
    if (cause instanceof SchemaError) {
      throw new SchemaError(
        `${path}: a model's Avro schema cannot be generated: ${cause.message}`,
        {
          cause,
        },
      );
    }
    const { reason, hint: own } = importFailure(cause);
    const hint = isStandaloneDeno()
      ? "a binary built by `deno compile` imports only modules embedded at compile time: rebuild it with `deno task compile --include " +
        path + "`, or run `deno run -A jsr:@flowodm/flowodm/cli` instead"
      : own ?? "fix the module so that it imports on its own (e.g. `deno check " + path + "`)";
    throw new ConfigError(`cannot import ${path}: ${reason}; ${hint}`, { cause });
  }
}

/** Every model a module exports, in export order; fails when there is none. */
export async function loadModels(path: string): Promise<LoadedModel[]> {
  const exports = await importModule(path);
  const seen = new Set<unknown>();
  const models: LoadedModel[] = [];
  for (const [exportName, value] of Object.entries(exports)) {
    if (!isModel(value) || seen.has(value)) continue;
    seen.add(value);
    models.push({ exportName, model: value });
  }
  if (models.length === 0) {
    throw new ConfigError(
      `${path} exports no model: export the values defineModel() returns, e.g. \`export const Order = defineModel(...)\``,
    );
  }
  return models;
}

/** One model named `module#Export`. */
export async function loadModel(reference: string): Promise<LoadedModel> {
  const hash = reference.lastIndexOf("#");
  if (hash <= 0 || hash === reference.length - 1) {
    throw new ConfigError(
      `--model "${reference}" names no export: write it as <module>#<Export>, e.g. models.ts#Order`,
    );
  }
  const path = reference.slice(0, hash);
  const exportName = reference.slice(hash + 1);
  const exports = await importModule(path);
  const value = exports[exportName];
  if (!isModel(value)) {
    const models = Object.entries(exports).filter(([, v]) => isModel(v)).map(([name]) => name);
    throw new ConfigError(
      `${path} has no model exported as ${exportName}; its models: ${models.join(", ") || "none"}`,
    );
  }
  return { exportName, model: value };
}
