/**
 * What Kafka Connect's REST API answers, as far as FlowODM reads it.
 *
 * @module
 */

/** A connector's or task's state. */
export type ConnectState =
  | "UNASSIGNED"
  | "RUNNING"
  | "PAUSED"
  | "STOPPED"
  | "FAILED"
  | "RESTARTING";

/** `GET /connectors/{name}/status`. */
export interface ConnectorStatus {
  /** The connector's full name. */
  readonly name: string;
  /** The connector instance: its state, worker and, when FAILED, the stack trace. */
  readonly connector: {
    readonly state: ConnectState;
    readonly worker_id: string;
    readonly trace?: string;
  };
  /** Each task: id, state, worker and, when FAILED, the stack trace. */
  readonly tasks: readonly {
    readonly id: number;
    readonly state: ConnectState;
    readonly worker_id: string;
    readonly trace?: string;
  }[];
  /** `source` or `sink`. */
  readonly type?: "source" | "sink";
}

/** One field's problems found by `PUT /connector-plugins/{class}/config/validate`. */
export interface FieldErrors {
  /** The config key. */
  readonly name: string;
  /** What Connect says is wrong with it. */
  readonly errors: readonly string[];
}

/** The verdict of a config validation. */
export interface ConnectorValidation {
  /** The connector class validated against. */
  readonly connectorClass: string;
  /** Number of errors Connect counted. */
  readonly errorCount: number;
  /** Only the fields with errors. */
  readonly fields: readonly FieldErrors[];
}

/** `GET /connector-plugins`. */
export interface ConnectorPlugin {
  /** The plugin's class name. */
  readonly class: string;
  /** `source`, `sink`, `converter`, `transformation`, ... */
  readonly type: string;
  /** The plugin's version. */
  readonly version?: string;
}
