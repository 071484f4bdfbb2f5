/**
 * FlowODM: typed Kafka messages for Deno, Bun and Node. Models are Valibot
 * schemas plus topic settings; their Avro schemas live in a Confluent-compatible
 * Schema Registry; values travel in the Confluent wire format over librdkafka.
 *
 * Transports are chosen by `connect()` and imported lazily. To create one
 * directly, import its entry: `@flowodm/flowodm/native` (Node),
 * `@flowodm/flowodm/ffi` (Deno, Bun) or `@flowodm/flowodm/testing` (the
 * in-process `memory://` transport and `mock://` registry); this entry pulls
 * in none of them.
 *
 * @example
 * ```ts
 * import { ValidationError } from "@flowodm/flowodm";
 * console.log(new ValidationError("Order", []).name);
 * ```
 *
 * @module
 */
export * from "./src/errors.ts";
export type * from "./src/transport/types.ts";
export { toAvroSchema } from "./src/avro/to_avro_schema.ts";
export type { AvroMetadata, AvroSchema, ToAvroSchemaOptions } from "./src/avro/to_avro_schema.ts";
export { generateModelSource } from "./src/avro/generate_model_source.ts";
export type { GenerateModelSourceOptions } from "./src/avro/generate_model_source.ts";
export { defineModel } from "./src/model/define_model.ts";
export { isModel } from "./src/model/is_model.ts";
export type {
  Model,
  ModelInput,
  ModelKey,
  ModelOutput,
  ModelSettings,
  ProduceOptions,
  SchemaInput,
  SchemaOutput,
  SubjectStrategy,
  ValibotSchema,
} from "./src/model/model.ts";
export { ModelProducer } from "./src/model/model_producer.ts";
export {
  close,
  connect,
  Connection,
  defaultConnection,
  registerRegistryScheme,
} from "./src/config/connection.ts";
export type { ConnectOptions } from "./src/config/connection.ts";
export { environmentVariables, resolveConnectionSettings } from "./src/config/environment.ts";
export type { ConnectionSettings, RegistrySettings } from "./src/config/environment.ts";
export type { RegistryAccessSettings, RegistryFactory } from "./src/config/registry_schemes.ts";
export { SchemaRegistryClient } from "./src/registry/client.ts";
export type { SchemaRegistryClientOptions } from "./src/registry/client.ts";
export {
  checkKafkaSecurity,
  kafkaSecurityProperties,
  redactProperties,
} from "./src/config/security.ts";
export type { Env, KafkaSecurityOptions, SecurityWarning } from "./src/config/security.ts";
export { registryAccess } from "./src/config/registry_tls.ts";
export type { RegistryAccess, RegistryTlsOptions } from "./src/config/registry_tls.ts";
export { tlsFetch } from "./src/registry/tls_fetch.ts";
export type { RegistryTls } from "./src/registry/tls_fetch.ts";
export type {
  CompatibilityLevel,
  CompatibilityResult,
  RegisteredSchema,
  RegistryMode,
  SchemaRegistry,
} from "./src/registry/types.ts";
export { createTransport } from "./src/transport/select.ts";
export { defaultLogger, type LogFields, type Logger } from "./src/transport/logging.ts";
export {
  consumerProperties,
  producerProperties,
  type PropertyLayers,
} from "./src/transport/properties.ts";
export {
  AsyncConsumerLoop,
  type AsyncConsumerLoopOptions,
  consoleLogger,
  ConsumerLoop,
  FailureHeader,
  headerText,
} from "./src/loop/mod.ts";
export type {
  Backoff,
  ConsumerLoopOptions,
  LoopAttempt,
  LoopLogger,
  LoopModel,
  LoopStats,
  MessageContext,
  RawMessage,
} from "./src/loop/mod.ts";
export {
  BatchSettings,
  HighThroughputSettings,
  LongRunningSettings,
  RealTimeSettings,
  ReliableSettings,
} from "./src/profiles/profiles.ts";
export type {
  CommitStrategy,
  LoopSettings,
  LoopSettingsOverrides,
} from "./src/profiles/settings.ts";
export { modelFromAvro, modelFromRegistry } from "./src/model/model_from_avro.ts";
export { checkCompatibility, validateAgainstRegistry } from "./src/model/registry_checks.ts";
export type { RegistryValidation } from "./src/model/registry_checks.ts";
export { MockSchemaRegistry } from "./src/registry/mock_registry.ts";
export type { ConsumedMessage, ConsumeOptions } from "./src/model/consume.ts";
export type {
  ConsumedKey,
  DecodedMessage,
  DecodedTombstone,
  DecodedValue,
  MessageFields,
} from "./src/model/consumed_message.ts";
export type { OnUndecodable } from "./src/model/undecodable.ts";
export type { CommitOptions } from "./src/model/offset_committer.ts";
export {
  ConnectClient,
  defineConnector,
  describeStatus,
  isConnector,
  isSecretKey,
  maskConfig,
  publishConnector,
  waitForRunning,
} from "./src/connect/mod.ts";
export type {
  ConnectClientOptions,
  Connector,
  ConnectorConfig,
  ConnectorDefinition,
  ConnectorHealth,
  ConnectorPlugin,
  ConnectorStatus,
  ConnectorValidation,
  ConnectState,
  FieldErrors,
  PublishAction,
} from "./src/connect/mod.ts";
export { debeziumChange, SyncLoop, tableIdentifierField } from "./src/sync/mod.ts";
export type {
  DebeziumChange,
  SyncContext,
  SyncLoopOptions,
  SyncStats,
  SyncStore,
  SyncTarget,
} from "./src/sync/mod.ts";
export { isSuppressed, suppress, unsuppress } from "./src/suppress/scope.ts";
export { suppressedCounts } from "./src/suppress/reports.ts";
export { runWorker } from "./src/worker/run_worker.ts";
export type { LoopEntry, LoopReport, WorkerLoop, WorkerOptions } from "./src/worker/types.ts";
export { LoopHealth } from "./src/loop/health.ts";
export type { LoopState, StageHealth } from "./src/loop/health.ts";
