/**
 * The `mock://scope` registry: an in-process Schema Registry for users' unit
 * tests and demos, as Confluent's serializers offer. Every client of the same
 * scope shares one store. Compatibility is checked for real, with Avro schema
 * resolution (avsc): BACKWARD means the new schema can read data of the old.
 *
 * @module
 */
import avro from "avsc";
import { RegistryError } from "../errors.ts";
import type {
  CompatibilityLevel,
  CompatibilityResult,
  RegisteredSchema,
  RegistryMode,
  SchemaRegistry,
} from "./types.ts";

interface Version {
  readonly version: number;
  readonly id: number;
  deleted: boolean;
}

interface Store {
  readonly schemas: string[]; // id - 1 -> canonical text (what makes two schemas the same)
  // id - 1 -> the text first registered: avsc's canonical form drops logical types and the
  // attributes of types (Kafka Connect's connect.*), which readers of the schema need.
  readonly texts: string[];
  readonly subjects: Map<string, Version[]>;
  readonly levels: Map<string, CompatibilityLevel>;
  global: CompatibilityLevel;
  readonly modes: Map<string, RegistryMode>;
  globalMode: RegistryMode;
}

const scopes = new Map<string, Store>();

function canonical(schema: string): string {
  try {
    // exportAttrs keeps field defaults and docs: compatibility depends on them.
    return JSON.stringify(avro.Type.forSchema(JSON.parse(schema)).schema({ exportAttrs: true }));
  } catch (cause) {
    throw new RegistryError(`Invalid schema: ${(cause as Error).message}`, {
      status: 422,
      errorCode: 42201,
      cause,
    });
  }
}

function readable(reader: string, writer: string): string | undefined {
  try {
    avro.Type.forSchema(JSON.parse(reader)).createResolver(avro.Type.forSchema(JSON.parse(writer)));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * An in-process registry shared by every `MockSchemaRegistry` of one scope.
 * Models use it for `mock://scope` URLs (and for a `memory://scope` broker
 * with no registry configured); never otherwise.
 *
 * @example
 * ```ts
 * import { MockSchemaRegistry } from "@flowodm/flowodm";
 * const registry = new MockSchemaRegistry("mock://tests");
 * const id = await registry.register("t-value", '{"type":"record","name":"T","fields":[]}');
 * console.log(id, await registry.schemaById(id));
 * MockSchemaRegistry.reset("mock://tests");
 * ```
 */
export class MockSchemaRegistry implements SchemaRegistry {
  readonly #store: Store;

  /** Opens (or creates) the store of `url`'s scope, e.g. `mock://orders-tests`. */
  constructor(url = "mock://default") {
    const scope = url.replace(/^mock:\/\//, "");
    let store = scopes.get(scope);
    if (!store) {
      store = {
        schemas: [],
        texts: [],
        subjects: new Map(),
        levels: new Map(),
        global: "BACKWARD",
        modes: new Map(),
        globalMode: "READWRITE",
      };
      scopes.set(scope, store);
    }
    this.#store = store;
  }

  /** Forgets everything registered in a scope. */
  static reset(url = "mock://default"): void {
    scopes.delete(url.replace(/^mock:\/\//, ""));
  }

  #live(subject: string, deleted = false): Version[] {
    const versions = (this.#store.subjects.get(subject) ?? []).filter((v) => deleted || !v.deleted);
    if (versions.length === 0) {
      throw new RegistryError(`Subject '${subject}' not found.`, {
        status: 404,
        errorCode: 40401,
        subject,
      });
    }
    return versions;
  }

  #entry(subject: string, version: Version): RegisteredSchema {
    return {
      subject,
      version: version.version,
      id: version.id,
      schema: this.#store.texts[version.id - 1],
    };
  }

  #problems(schema: string, level: CompatibilityLevel, against: Version[]) {
    if (level === "NONE" || against.length === 0) return [];
    const targets = level.endsWith("_TRANSITIVE") ? against : against.slice(-1);
    const problems: string[] = [];
    for (const target of targets) {
      const old = this.#store.schemas[target.id - 1];
      if (level.startsWith("BACKWARD") || level.startsWith("FULL")) {
        const why = readable(schema, old);
        if (why) problems.push(`BACKWARD against version ${target.version}: ${why}`);
      }
      if (level.startsWith("FORWARD") || level.startsWith("FULL")) {
        const why = readable(old, schema);
        if (why) problems.push(`FORWARD against version ${target.version}: ${why}`);
      }
    }
    return problems;
  }

  /** Registers (or finds) the schema under the subject, checking the subject's level. */
  register(subject: string, schema: string): Promise<number> {
    if (this.#mode(subject) === "READONLY") {
      return Promise.reject(
        new RegistryError(`Subject ${subject} is in read-only mode`, {
          status: 422,
          errorCode: 42205,
          subject,
        }),
      );
    }
    const text = canonical(schema);
    const versions = this.#store.subjects.get(subject) ?? [];
    const active = versions.filter((v) => !v.deleted);
    const same = active.find((v) => this.#store.schemas[v.id - 1] === text);
    if (same) return Promise.resolve(same.id);
    const problems = this.#problems(text, this.#level(subject), active);
    if (problems.length > 0) {
      return Promise.reject(
        new RegistryError(
          `Schema being registered is incompatible with an earlier schema for subject "${subject}": ${
            problems.join("; ")
          }`,
          { status: 409, errorCode: 409, subject },
        ),
      );
    }
    let id = this.#store.schemas.indexOf(text) + 1;
    if (id === 0) {
      id = this.#store.schemas.push(text);
      this.#store.texts.push(JSON.stringify(JSON.parse(schema)));
    }
    versions.push({ version: (versions.at(-1)?.version ?? 0) + 1, id, deleted: false });
    this.#store.subjects.set(subject, versions);
    return Promise.resolve(id);
  }

  /** The subject's version holding this schema, or undefined. */
  lookup(subject: string, schema: string): Promise<RegisteredSchema | undefined> {
    const text = canonical(schema);
    const found = (this.#store.subjects.get(subject) ?? []).find((v) =>
      !v.deleted && this.#store.schemas[v.id - 1] === text
    );
    return Promise.resolve(found && this.#entry(subject, found));
  }

  /** The schema text of an id. */
  schemaById(id: number): Promise<string> {
    const schema = this.#store.texts[id - 1];
    if (schema === undefined) {
      return Promise.reject(
        new RegistryError(`Schema ${id} not found`, { status: 404, errorCode: 40403 }),
      );
    }
    return Promise.resolve(schema);
  }

  /** A version of a subject, or its latest. */
  version(subject: string, version: number | "latest"): Promise<RegisteredSchema> {
    try {
      const versions = this.#live(subject);
      const found = version === "latest"
        ? versions.at(-1)
        : versions.find((v) => v.version === version);
      if (!found) {
        throw new RegistryError(`Version ${version} not found.`, {
          status: 404,
          errorCode: 40402,
          subject,
        });
      }
      return Promise.resolve(this.#entry(subject, found));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Subject names. */
  subjects(options: { prefix?: string; deleted?: boolean } = {}): Promise<string[]> {
    const names = [...this.#store.subjects].filter(([name, versions]) =>
      name.startsWith(options.prefix ?? "") && versions.some((v) => options.deleted || !v.deleted)
    ).map(([name]) => name);
    return Promise.resolve(names.sort());
  }

  /** Version numbers of a subject. */
  versions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    try {
      return Promise.resolve(this.#live(subject, options.deleted).map((v) => v.version));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Soft-deletes a subject, or removes it after a soft delete. */
  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    try {
      const all = this.#live(subject, true);
      if (options.permanent) {
        if (all.some((v) => !v.deleted)) {
          throw new RegistryError(`Subject '${subject}' was not deleted first`, {
            status: 404,
            errorCode: 40405,
            subject,
          });
        }
        this.#store.subjects.delete(subject);
        this.#store.levels.delete(subject);
        this.#store.modes.delete(subject);
        return Promise.resolve(all.map((v) => v.version));
      }
      const live = this.#live(subject);
      for (const v of live) v.deleted = true;
      return Promise.resolve(live.map((v) => v.version));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Soft-deletes one version, or removes it after a soft delete. */
  deleteSchemaVersion(
    subject: string,
    version: number | "latest",
    options: { permanent?: boolean } = {},
  ): Promise<number> {
    try {
      const all = this.#live(subject, options.permanent);
      const found = version === "latest"
        ? all.filter((v) => !v.deleted).at(-1)
        : all.find((v) => v.version === version);
      if (!found || (!options.permanent && found.deleted)) {
        throw new RegistryError(`Version ${version} not found.`, {
          status: 404,
          errorCode: 40402,
          subject,
        });
      }
      if (options.permanent) {
        if (!found.deleted) {
          throw new RegistryError(
            `Subject '${subject}' Version ${found.version} was not deleted first before being permanently deleted`,
            { status: 404, errorCode: 40407, subject },
          );
        }
        const rest = all.filter((v) => v !== found);
        if (rest.length === 0) this.#store.subjects.delete(subject);
        else this.#store.subjects.set(subject, rest);
      } else {
        found.deleted = true;
      }
      return Promise.resolve(found.version);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #mode(subject?: string): RegistryMode {
    return (subject && this.#store.modes.get(subject)) || this.#store.globalMode;
  }

  /** The subject's mode, else the global one. */
  mode(subject?: string): Promise<RegistryMode> {
    return Promise.resolve(this.#mode(subject));
  }

  /** Sets a subject's mode, or the global one. */
  setMode(mode: RegistryMode, subject?: string): Promise<void> {
    if (subject) this.#store.modes.set(subject, mode);
    else this.#store.globalMode = mode;
    return Promise.resolve();
  }

  #level(subject?: string): CompatibilityLevel {
    return (subject && this.#store.levels.get(subject)) || this.#store.global;
  }

  /** The subject's level, else the global one. */
  compatibility(subject?: string): Promise<CompatibilityLevel> {
    return Promise.resolve(this.#level(subject));
  }

  /** Sets a subject's level, or the global one. */
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    if (subject) this.#store.levels.set(subject, level);
    else this.#store.global = level;
    return Promise.resolve();
  }

  /** Tests a candidate at a level (the subject's by default). */
  testCompatibility(
    subject: string,
    schema: string,
    options: { level?: CompatibilityLevel; version?: number | "latest" } = {},
  ): Promise<CompatibilityResult> {
    const text = canonical(schema);
    const active = (this.#store.subjects.get(subject) ?? []).filter((v) => !v.deleted);
    const level = options.level ?? this.#level(subject);
    let against = active;
    if (options.version !== undefined && options.version !== "latest") {
      against = active.filter((v) => v.version <= (options.version as number));
      if (!level.endsWith("_TRANSITIVE")) against = against.slice(-1);
    }
    const messages = this.#problems(text, level, against);
    return Promise.resolve({ isCompatible: messages.length === 0, messages });
  }
}
