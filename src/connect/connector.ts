/**
 * Connectors as code: a module exports the values {@link defineConnector}
 * returns, and `flowodm connect` validates, publishes and checks them.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";

const brand = Symbol.for("flowodm.connector");

/** A Kafka Connect connector's configuration: Connect takes every value as a string. */
export type ConnectorConfig = Readonly<Record<string, string | number | boolean>>;

/** What {@link defineConnector} takes. */
export interface ConnectorDefinition {
  /** The connector's name (before the client's name prefix). */
  readonly name: string;
  /** Its configuration; `connector.class` is required. */
  readonly config: ConnectorConfig;
  /** Delete it from Connect on publish instead of creating or updating it. */
  readonly markForRemoval?: boolean;
}

/** A connector definition, checked and frozen. */
export interface Connector extends ConnectorDefinition {
  /** `connector.class` of its config. */
  readonly connectorClass: string;
  /** The config as Connect receives it: every value a string. */
  readonly stringConfig: Readonly<Record<string, string>>;
}

/**
 * Defines a Kafka Connect connector in code.
 *
 * @example
 * ```ts
 * import { defineConnector } from "@flowodm/flowodm";
 * export const customers = defineConnector({
 *   name: "customers-cdc",
 *   config: {
 *     "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
 *     "database.hostname": "127.0.0.1",
 *     "database.port": 5432,
 *     "database.user": "app",
 *     "database.password": "secret", // masked in every output
 *     "database.dbname": "app",
 *     "topic.prefix": "app",
 *     "plugin.name": "pgoutput",
 *   },
 * });
 * ```
 */
export function defineConnector(definition: ConnectorDefinition): Connector {
  const { name, config } = definition;
  if (typeof name !== "string" || name.trim() === "" || name.includes("/")) {
    throw new ConfigError(
      `a connector needs a name without "/" (got ${JSON.stringify(name)})`,
    );
  }
  const connectorClass = config?.["connector.class"];
  if (typeof connectorClass !== "string" || connectorClass === "") {
    throw new ConfigError(`connector ${name} needs config["connector.class"]`);
  }
  const stringConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      throw new ConfigError(
        `connector ${name}: config["${key}"] must be a string, number or boolean`,
      );
    }
    stringConfig[key] = String(value);
  }
  return Object.freeze({
    [brand]: true,
    name,
    config: Object.freeze({ ...config }),
    markForRemoval: definition.markForRemoval ?? false,
    connectorClass,
    stringConfig: Object.freeze(stringConfig),
  });
}

/**
 * True for the values {@link defineConnector} returns.
 *
 * @example
 * ```ts
 * import { defineConnector, isConnector } from "@flowodm/flowodm";
 * const c = defineConnector({ name: "files", config: { "connector.class": "FileStreamSource" } });
 * console.log(isConnector(c), isConnector({})); // true false
 * ```
 */
export function isConnector(value: unknown): value is Connector {
  return typeof value === "object" && value !== null &&
    (value as Record<symbol, unknown>)[brand] === true;
}
