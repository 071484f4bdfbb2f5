/**
 * SyncLoop: keeps a store in step with a topic, e.g. a table fed by
 * Debezium or a cache of a compacted topic.
 *
 * @module
 */
import { type Connection, defaultConnection } from "../config/connection.ts";
import { ConfigError, DeserializationError, ValidationError } from "../errors.ts";
import { ConsumerLoop } from "../loop/consumer_loop.ts";
import { consoleLogger } from "../loop/logger.ts";
import type { MessageContext } from "../loop/options.ts";
import type { LoopModel } from "../loop/source.ts";
import type { LoopStats } from "../loop/stats.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { type DebeziumChange, debeziumChange, debeziumKey, tableCandidates } from "./debezium.ts";
import type { SyncContext, SyncLoopOptions, SyncStats, SyncTarget } from "./options.ts";
import { RecordDecoder } from "./record_decoder.ts";

type Row = Record<string, unknown>;
const isObject = (value: unknown): value is Row =>
  typeof value === "object" && value !== null && !Array.isArray(value) &&
  !(value instanceof Date) && !(value instanceof Uint8Array);

/** Errors that retrying cannot cure: the record goes to the dead letter topic at once. */
function isPoison(error: unknown): boolean {
  return error instanceof DeserializationError || error instanceof ValidationError ||
    error instanceof ConfigError;
}

/**
 * A ConsumerLoop that applies each record to a store: upserts and deletes in
 * order per key, with the loop's retries, retry topics, dead letter topic and
 * commits (an offset is committed once the store call finished). Records
 * that cannot be read, that a target's model refuses, or whose table has no
 * route go straight to the dead letter topic.
 *
 * With `debezium: true` it reads Debezium's change events, full envelopes or
 * rows flattened by ExtractNewRecordState, deletes on `op: "d"`,
 * `__deleted: "true"` and tombstones, and routes tables to stores by the
 * routing transform's table identifier.
 *
 * @example
 * ```ts
 * import { SyncLoop } from "@flowodm/flowodm";
 * const customers = new Map<number, Record<string, unknown>>();
 * const loop = new SyncLoop({
 *   topic: "app.public.customers", // Debezium's topic: Avro via the registry, or JSON
 *   groupId: "customers-cache",
 *   debezium: true,
 *   lookupKey: (key) => (key as { id: number }).id,
 *   exclude: ["password_hash"],
 *   transform: { email: (email) => String(email).toLowerCase() },
 *   store: {
 *     upsert: (id, row) => void customers.set(id, row),
 *     delete: (id) => void customers.delete(id),
 *   },
 *   deadLetter: true,
 * });
 * await loop.run(); // until loop.stop() or SIGTERM
 * ```
 */
export class SyncLoop<K = unknown, V = Record<string, unknown>> {
  /** Store operations since `run()`. */
  readonly syncStats: SyncStats = { upserts: 0, deletes: 0, skipped: 0 };
  readonly #options: SyncLoopOptions<K, V>;
  readonly #loop: ConsumerLoop<unknown, Uint8Array | null>;
  readonly #decoder: RecordDecoder;

  /** Creates the loop; nothing connects before `run()`. */
  constructor(options: SyncLoopOptions<K, V>) {
    if (!options.store && !options.routes) {
      throw new ConfigError("SyncLoop needs a store, or routes of table identifiers to stores");
    }
    if (!options.model && !options.topic) {
      throw new ConfigError("SyncLoop needs a model, or the topic to read");
    }
    this.#options = options;
    const connection = options.connection ??
      (options.model?.connection as Partial<Connection> | undefined);
    const registry = (): SchemaRegistry =>
      connection?.registry ? connection.registry() : defaultConnection().registry();
    this.#decoder = new RecordDecoder(registry);
    const source = options.model ?? this.#topicModel(options.topic!, options.connection);
    // Keys are decoded here (Debezium key records, decodeKey): the loop hands over their bytes.
    const model: LoopModel<unknown, Uint8Array | null> = {
      settings: { topic: source.settings.topic, consumerGroup: source.settings.consumerGroup },
      connection: source.connection,
      decode: (bytes, origin) => source.decode(bytes, origin),
      decodeKey: (bytes) => Promise.resolve(bytes),
    };
    const { retryOn } = options;
    this.#loop = new ConsumerLoop<unknown, Uint8Array | null>({
      ...options,
      model,
      concurrency: options.concurrency ?? options.maxConcurrent ?? 1,
      handler: (value, ctx) => this.#apply(value, ctx),
      onTombstone: (ctx) => this.#apply(null, ctx),
      retryOn: (error) => isPoison(error) ? false : (retryOn?.(error) ?? true),
    });
  }

  /** The loop's counters (processed, failed, retried, deadLettered, lag, inFlight). */
  get stats(): LoopStats {
    return this.#loop.stats;
  }

  /** Consumes until stopped, then drains, commits and closes. */
  run(): Promise<void> {
    return this.#loop.run();
  }

  /** Asks the loop to stop gracefully; `run()` resolves once it has. */
  stop(): void {
    this.#loop.stop();
  }

  #topicModel(topic: string, connection: Connection | undefined): LoopModel<unknown> {
    const decoder = this.#decoder;
    return {
      settings: { topic, consumerGroup: this.#options.groupId },
      connection: { transport: () => (connection ?? defaultConnection()).transport() },
      decode(bytes, origin) {
        if (bytes === null) return Promise.reject(new DeserializationError("no value", origin));
        return decoder.value(bytes, origin);
      },
    };
  }

  async #apply(value: unknown, ctx: MessageContext<unknown, Uint8Array | null>): Promise<void> {
    const options = this.#options;
    const origin = { topic: ctx.topic, partition: ctx.partition, offset: ctx.offset };
    const key = options.decodeKey
      ? await options.decodeKey(ctx.key, ctx)
      : await this.#decoder.key(ctx.key, origin);
    const change: DebeziumChange = options.debezium
      ? debeziumChange(value)
      : value === null
      ? { kind: "delete" }
      : { kind: "upsert", row: isObject(value) ? value : { value } };
    const [table, target] = this.#target(key, ctx.topic, change);
    const context: SyncContext = { ...ctx, recordKey: key, op: change.op, table };
    let kind = change.kind;
    if (kind === "upsert" && target.isDeletion?.(change.row!, context)) kind = "delete";
    const plainKey = options.debezium ? debeziumKey(key) : key;
    const storeKey = target.lookupKey
      ? target.lookupKey(plainKey, change.row ?? null, context)
      : plainKey;
    const store = target.store;
    switch (kind) {
      case "upsert": {
        const row = shape(change.row!, target, context);
        await store.upsert(storeKey as never, row as never, context);
        this.syncStats.upserts++;
        return;
      }
      case "delete":
        await store.delete(storeKey as never, context);
        this.syncStats.deletes++;
        return;
      case "truncate":
        if (store.truncate) return await store.truncate(context);
        (options.logger ?? consoleLogger).warn("truncate skipped: the store has no truncate()", {
          topic: ctx.topic,
          offset: ctx.offset,
          table,
        });
        this.syncStats.skipped++;
        return;
      default:
        this.syncStats.skipped++;
    }
  }

  #target(
    key: unknown,
    topic: string,
    change: DebeziumChange,
  ): [string | undefined, SyncTarget<unknown, unknown>] {
    const options = this.#options;
    if (!options.routes) return [undefined, options as SyncTarget<unknown, unknown>];
    const names = tableCandidates(key, topic, change);
    const table = names.find((name) => name in options.routes!);
    if (table === undefined) {
      throw new ConfigError(
        `no route for table ${names.join(" / ")}: add one of these to SyncLoop's routes`,
      );
    }
    return [table, options.routes[table] as SyncTarget<unknown, unknown>];
  }
}

/** The row to store: excluded fields dropped, fields transformed, then the model's check. */
function shape(row: Row, target: SyncTarget<unknown, unknown>, ctx: SyncContext): unknown {
  const shaped: Row = {};
  for (const [name, value] of Object.entries(row)) {
    if (target.exclude?.includes(name)) continue;
    const transform = target.transform?.[name];
    shaped[name] = transform ? transform(value, row, ctx) : value;
  }
  if (!target.rowModel) return shaped;
  try {
    return target.rowModel.parse(shaped);
  } catch (error) {
    // A row the model refuses stays refused: no retries, straight to the dead letter topic.
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(ctx.table ?? ctx.topic, [{ path: "", message: String(error) }], {
      cause: error,
    });
  }
}
