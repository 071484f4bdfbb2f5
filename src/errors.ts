/**
 * The error model: every failure a user can meet is one of these classes,
 * with the context needed to act on it. All extend {@link FlowOdmError}, so
 * `catch (e) { if (e instanceof FlowOdmError) ... }` catches every one.
 *
 * @module
 */

/**
 * Base class of every FlowODM error.
 *
 * @example
 * ```ts
 * import { FlowOdmError } from "@flowodm/flowodm";
 * try {
 *   throw new FlowOdmError("boom");
 * } catch (e) {
 *   if (e instanceof FlowOdmError) console.error(e.message);
 * }
 * ```
 */
export class FlowOdmError extends Error {
  /** Creates an error; `cause` keeps the underlying error for debugging. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found while validating model data. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `items.0.sku`; empty for the root. */
  readonly path: string;
  /** What is wrong, in words. */
  readonly message: string;
}

/**
 * Model data does not match its schema.
 *
 * @example
 * ```ts
 * import { ValidationError } from "@flowodm/flowodm";
 * const error = new ValidationError("OrderEvent", [{ path: "amount", message: "Invalid type" }]);
 * console.log(error.issues[0].path); // "amount"
 * ```
 */
export class ValidationError extends FlowOdmError {
  /** Every issue found, not only the first. */
  readonly issues: readonly ValidationIssue[];
  /** The model whose schema refused the data. */
  readonly model: string;
  /** The position of the refused value in a batch (`produceMany`), when it was one of several. */
  readonly index?: number;

  /** Creates the error from the model name and its issues. */
  constructor(
    model: string,
    issues: readonly ValidationIssue[],
    options?: { cause?: unknown; index?: number },
  ) {
    const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    const where = options?.index === undefined ? "" : ` at index ${options.index}`;
    super(`Invalid ${model}${where}: ${summary}`, options);
    this.model = model;
    this.issues = issues;
    this.index = options?.index;
  }
}

/**
 * A schema cannot be generated, parsed, or is incompatible.
 *
 * @example
 * ```ts
 * import { SchemaError } from "@flowodm/flowodm";
 * const error = new SchemaError("custom() has no Avro type", { path: "payload" });
 * console.log(error.path); // "payload"
 * ```
 */
export class SchemaError extends FlowOdmError {
  /** Dotted path of the field at fault, when one is. */
  readonly path?: string;

  /** Creates the error; `path` names the field at fault. */
  constructor(message: string, options?: { path?: string; cause?: unknown }) {
    super(options?.path ? `${message} (at ${options.path})` : message, options);
    this.path = options?.path;
  }
}

/**
 * The Schema Registry refused a request or could not be reached.
 *
 * @example
 * ```ts
 * import { RegistryError } from "@flowodm/flowodm";
 * const error = new RegistryError("Subject not found", { status: 404, errorCode: 40401, subject: "orders-value" });
 * if (error.status === 404) console.log("register it first");
 * console.log(error.transient); // false: an answer; no answer, 5xx or 429 would be true
 * ```
 */
export class RegistryError extends FlowOdmError {
  /** HTTP status, or undefined when the request never got an answer. */
  readonly status?: number;
  /** Confluent error code from the response body (e.g. 40401, 409). */
  readonly errorCode?: number;
  /** The subject the request was about, when there was one. */
  readonly subject?: string;
  /**
   * True when the registry did not answer: a network error, a timeout, HTTP
   * 5xx or 429. The same request may succeed later, so consumer loops wait
   * such a fault out instead of dead-lettering the message. Also true for a
   * 404 without a Confluent error code (the URL has no registry API behind
   * it). False for an answer that will not change (404 with 40403 and the
   * like, 409, 422, 401, ...).
   */
  readonly transient: boolean;

  /** Creates the error with the HTTP context of the failed request. */
  constructor(
    message: string,
    options?: { status?: number; errorCode?: number; subject?: string; cause?: unknown },
  ) {
    super(message, options);
    this.status = options?.status;
    this.errorCode = options?.errorCode;
    this.subject = options?.subject;
    // The one place where a registry fault is classified. A 404 without a
    // Confluent 404xx code came from a server with no registry API at that
    // path (a wrong URL): it says nothing about the message, so it is waited
    // out (and logged) rather than read as "unknown schema id".
    const status = options?.status;
    const code = options?.errorCode;
    const notARegistry = status === 404 && !(code !== undefined && code >= 40400 && code < 40500);
    this.transient = status === undefined || status >= 500 || status === 429 || notARegistry;
  }
}

/**
 * A value could not be written in the Confluent wire format.
 *
 * @example
 * ```ts
 * import { SerializationError } from "@flowodm/flowodm";
 * const error = new SerializationError("no schema id for subject orders-value");
 * console.log(error.message);
 * ```
 */
export class SerializationError extends FlowOdmError {
  /** The schema id in use, when one was resolved. */
  readonly schemaId?: number;

  /** Creates the error; `schemaId` is the id that was being written. */
  constructor(message: string, options?: { schemaId?: number; cause?: unknown }) {
    super(message, options);
    this.schemaId = options?.schemaId;
  }
}

/** Where a message that failed to decode came from. */
export interface MessageOrigin {
  /** Topic the message was read from. */
  readonly topic?: string;
  /** Partition the message was read from. */
  readonly partition?: number;
  /** Offset of the message in its partition. */
  readonly offset?: number;
}

/**
 * Bytes could not be read as a model value: bad magic byte, unknown schema
 * id, invalid Avro, or data the model's schema refuses.
 *
 * @example
 * ```ts
 * import { DeserializationError } from "@flowodm/flowodm";
 * const error = new DeserializationError("unknown magic byte 0x7b", { topic: "orders", partition: 0, offset: 42 });
 * console.log(error.origin?.offset); // 42
 * ```
 */
export class DeserializationError extends FlowOdmError {
  /** The writer schema id read from the message, when it could be read. */
  readonly schemaId?: number;
  /** Topic, partition and offset of the message, when known. */
  readonly origin?: MessageOrigin;
  /**
   * True when the bytes may be fine and the failure came from a registry that
   * did not answer (the `transient` of the {@link RegistryError} it wraps);
   * false for a message that can never be decoded.
   */
  readonly transient: boolean;

  /** Creates the error; the origin is appended to the message. */
  constructor(
    reason: string,
    options?: MessageOrigin & { schemaId?: number; cause?: unknown },
  ) {
    const where = options?.topic === undefined
      ? ""
      : ` (topic ${options.topic}, partition ${options.partition ?? "?"}, offset ${
        options.offset ?? "?"
      })`;
    // A reason that already names the id (e.g. "unknown schema id 7") is not tagged twice.
    const id = options?.schemaId === undefined || reason.includes(`schema id ${options.schemaId}`)
      ? ""
      : ` [schema id ${options.schemaId}]`;
    super(`${reason}${id}${where}`, options);
    this.schemaId = options?.schemaId;
    const cause = options?.cause;
    this.transient = (cause instanceof RegistryError || cause instanceof DeserializationError) &&
      cause.transient;
    if (options?.topic !== undefined) {
      this.origin = { topic: options.topic, partition: options.partition, offset: options.offset };
    }
  }
}

/**
 * Kafka (librdkafka or the in-memory broker) reported an error.
 *
 * @example
 * ```ts
 * import { TransportError } from "@flowodm/flowodm";
 * const error = new TransportError("Broker: Unknown topic or partition", { code: 3, codeName: "UNKNOWN_TOPIC_OR_PART" });
 * console.log(error.codeName, error.retriable);
 * ```
 */
export class TransportError extends FlowOdmError {
  /** librdkafka error code (`rd_kafka_resp_err_t`), when there is one. */
  readonly code?: number;
  /** librdkafka error name, e.g. `UNKNOWN_TOPIC_OR_PART`, `MSG_SIZE_TOO_LARGE`. */
  readonly codeName?: string;
  /** Whether retrying the same operation may succeed. */
  readonly retriable: boolean;

  /** Creates the error with librdkafka's code and name. */
  constructor(
    message: string,
    options?: { code?: number; codeName?: string; retriable?: boolean; cause?: unknown },
  ) {
    // A message built from another TransportError's already carries its tag.
    const tag = options?.codeName && !message.includes(`[${options.codeName}]`)
      ? ` [${options.codeName}]`
      : "";
    super(`${message}${tag}`, options);
    this.code = options?.code;
    this.codeName = options?.codeName;
    this.retriable = options?.retriable ?? false;
  }
}

/**
 * The configuration is missing something or contradicts itself.
 *
 * @example
 * ```ts
 * import { ConfigError } from "@flowodm/flowodm";
 * const error = new ConfigError("KAFKA_BOOTSTRAP_SERVERS is not set; pass bootstrapServers to connect()");
 * console.log(error.name); // "ConfigError"
 * ```
 */
export class ConfigError extends FlowOdmError {}

/**
 * A worker's loop kept crashing (an error outside message handling, such as a
 * lost connection) past its restart limit; the worker stopped the others.
 *
 * @example
 * ```ts
 * import { WorkerError } from "@flowodm/flowodm";
 * const error = new WorkerError("orders", 5, new Error("connection refused"));
 * console.log(error.loop, error.message);
 * ```
 */
export class WorkerError extends FlowOdmError {
  /** The name of the loop that gave up. */
  readonly loop: string;
  /** How many times it was restarted before giving up. */
  readonly restarts: number;

  /** Creates the error from the loop's name, its restarts and its last error. */
  constructor(loop: string, restarts: number, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `loop ${loop} crashed and was restarted ${restarts} time(s), then gave up: ${reason}`,
      { cause },
    );
    this.loop = loop;
    this.restarts = restarts;
  }
}

/**
 * Kafka Connect refused a request or could not be reached.
 *
 * @example
 * ```ts
 * import { ConnectError } from "@flowodm/flowodm";
 * const error = new ConnectError("Connector orders-sink not found", { status: 404, connector: "orders-sink" });
 * if (error.status === 404) console.log("publish it first");
 * ```
 */
export class ConnectError extends FlowOdmError {
  /** HTTP status, or undefined when the request never got an answer. */
  readonly status?: number;
  /** Kafka Connect's `error_code` from the response body. */
  readonly errorCode?: number;
  /** The connector the request was about, when there was one. */
  readonly connector?: string;

  /** Creates the error with the HTTP context of the failed request. */
  constructor(
    message: string,
    options?: { status?: number; errorCode?: number; connector?: string; cause?: unknown },
  ) {
    super(message, options);
    this.status = options?.status;
    this.errorCode = options?.errorCode;
    this.connector = options?.connector;
  }
}
