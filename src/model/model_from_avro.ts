/**
 * Models from Avro schemas: the schema in a file or in the registry becomes a
 * model whose Valibot schema is built at run time.
 *
 * @module
 */
import type { AvroSchema } from "../avro/to_avro_schema.ts";
import { valibotFromAvro } from "../avro/valibot_from_avro.ts";
import { defaultConnection } from "../config/connection.ts";
import { SchemaError } from "../errors.ts";
import { defineModel } from "./define_model.ts";
import type { Model, ModelSettings } from "./model.ts";

/**
 * A model from an Avro record schema; its name and namespace come from the
 * schema unless the settings give a namespace.
 *
 * @example
 * ```ts
 * import { modelFromAvro } from "@flowodm/flowodm";
 * const Order = modelFromAvro(
 *   { type: "record", name: "Order", fields: [{ name: "id", type: "string" }] },
 *   { topic: "orders" },
 * );
 * console.log(Order.parse({ id: "o-1" }));
 * ```
 */
export function modelFromAvro(
  avroSchema: AvroSchema,
  settings: ModelSettings,
): Model<Record<string, unknown>> {
  const record = typeof avroSchema === "object" && !Array.isArray(avroSchema)
    ? avroSchema as { type?: string; name?: string; namespace?: string }
    : undefined;
  if (record?.type !== "record" || !record.name) {
    throw new SchemaError("a model needs an Avro record schema with a name");
  }
  const [namespace, name] = splitName(record.name, record.namespace);
  return defineModel(
    name,
    valibotFromAvro(avroSchema),
    { namespace: namespace || undefined, ...settings },
  ) as unknown as Model<Record<string, unknown>>;
}

function splitName(name: string, namespace?: string): [string | undefined, string] {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? [namespace, name] : [name.slice(0, dot), name.slice(dot + 1)];
}

/**
 * A model from a schema registered under `subject` (latest version by default).
 *
 * @example
 * ```ts
 * import { modelFromRegistry } from "@flowodm/flowodm";
 * const Order = await modelFromRegistry("orders-value", { topic: "orders" });
 * console.log(Order.avroSchema);
 * ```
 */
export async function modelFromRegistry(
  subject: string,
  settings: ModelSettings,
  options: { version?: number | "latest" } = {},
): Promise<Model<Record<string, unknown>>> {
  const registry = (settings.connection ?? defaultConnection()).registry();
  const registered = await registry.version(subject, options.version ?? "latest");
  return modelFromAvro(JSON.parse(registered.schema), { schemaSubject: subject, ...settings });
}
