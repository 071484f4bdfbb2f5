/**
 * What every client of every transport is handed by its transport: the
 * cluster to name in errors, how long to wait for a first broker, and where
 * log lines and client errors go.
 *
 * @module
 */
import type { TransportError } from "../../errors.ts";
import type { Logger } from "../logging.ts";
import { defaultConnectTimeoutMs } from "../reachability.ts";
import type { TransportConfig } from "../types.ts";

/** Where a client reports its log lines and errors. */
export interface EventSinks {
  /** Where librdkafka's lines and client errors are logged. */
  readonly logger?: Logger;
  /** Told of every client-level error, fatal or not. */
  readonly onError?: (error: TransportError) => void;
}

/** What a transport hands each client it creates. */
export interface ClientContext extends EventSinks {
  /** For errors that name the cluster. */
  readonly bootstrapServers: string;
  /** How long a new client waits for its first broker answer. */
  readonly connectTimeoutMs: number;
}

/** The context of every client of the transport `config` describes. */
export function clientContext(config: TransportConfig): ClientContext {
  return {
    bootstrapServers: config.bootstrapServers,
    connectTimeoutMs: config.connectTimeoutMs ?? defaultConnectTimeoutMs,
    logger: config.logger,
    onError: config.onError,
  };
}
