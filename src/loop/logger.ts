/**
 * Where the loop writes structured events; console by default. Never given secrets.
 *
 * @example
 * ```ts
 * const logger: LoopLogger = { info: () => {}, warn: console.warn, error: console.error };
 * ```
 */
export interface LoopLogger {
  /** Progress worth knowing: start, stop, rebalances. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** A failure the loop handled: a retry, a dead-lettered message. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure that needs attention. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Logs one JSON-friendly line per event to the console.
 *
 * @example
 * ```ts
 * new ConsumerLoop({ model: Order, handler, logger: consoleLogger });
 * ```
 */
export const consoleLogger: LoopLogger = {
  info: (message, fields) => console.info(`[flowodm] ${message}`, fields ?? ""),
  warn: (message, fields) => console.warn(`[flowodm] ${message}`, fields ?? ""),
  error: (message, fields) => console.error(`[flowodm] ${message}`, fields ?? ""),
};
