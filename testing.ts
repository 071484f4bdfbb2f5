/**
 * `@flowodm/flowodm/testing`: in-process stand-ins for users' unit tests and
 * demos, on every runtime and with nothing to install: the `memory` transport
 * (an in-process Kafka, selected by `bootstrapServers: "memory://name"`) and
 * the `mock://scope` Schema Registry. `connect()` selects both from their URL
 * schemes by itself; import this entry to create them directly. They are not a
 * replacement for a real broker and registry in integration tests.
 *
 * @example
 * ```ts
 * import { createMemoryTransport, MockSchemaRegistry } from "@flowodm/flowodm/testing";
 * const transport = createMemoryTransport({ bootstrapServers: "memory://demo" });
 * const admin = await transport.admin();
 * await admin.ensureTopic({ topic: "orders", partitions: 3 });
 * const registry = new MockSchemaRegistry("mock://demo");
 * console.log(await registry.subjects());
 * await transport.close();
 * ```
 *
 * @module
 */
export { createMemoryTransport } from "./src/transport/memory/mod.ts";
export { MockSchemaRegistry } from "./src/registry/mock_registry.ts";
export type * from "./src/transport/types.ts";
export type * from "./src/registry/types.ts";
