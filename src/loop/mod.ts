/**
 * Consumer loops: ConsumerLoop (and its alias AsyncConsumerLoop) and the
 * pieces they are made of.
 *
 * @module
 */
export { ConsumerLoop } from "./consumer_loop.ts";
export { AsyncConsumerLoop, type AsyncConsumerLoopOptions } from "./async_consumer_loop.ts";
export type { ConsumerLoopOptions, LoopAttempt, MessageContext, RawMessage } from "./options.ts";
export type { LoopModel } from "./source.ts";
export type { LoopStats } from "./stats.ts";
export { consoleLogger, type LoopLogger } from "./logger.ts";
export { FailureHeader, headerText } from "./headers.ts";
export type { Backoff } from "./backoff.ts";
