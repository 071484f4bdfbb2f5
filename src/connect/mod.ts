/**
 * Kafka Connect: connectors as code and the REST client that manages them.
 *
 * @module
 */
export { ConnectClient } from "./client.ts";
export type { ConnectClientOptions } from "./client_options.ts";
export {
  type Connector,
  type ConnectorConfig,
  type ConnectorDefinition,
  defineConnector,
  isConnector,
} from "./connector.ts";
export {
  type ConnectorHealth,
  describeStatus,
  type PublishAction,
  publishConnector,
  waitForRunning,
} from "./publish.ts";
export { isSecretKey, maskConfig } from "./secrets.ts";
export type {
  ConnectorPlugin,
  ConnectorStatus,
  ConnectorValidation,
  ConnectState,
  FieldErrors,
} from "./types.ts";
