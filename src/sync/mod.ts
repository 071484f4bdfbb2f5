/**
 * SyncLoop and the Debezium record reading it uses.
 *
 * @module
 */
export { SyncLoop } from "./sync_loop.ts";
export type { SyncContext, SyncLoopOptions, SyncStats, SyncStore, SyncTarget } from "./options.ts";
export { type DebeziumChange, debeziumChange, tableIdentifierField } from "./debezium.ts";
