/**
 * Decoding consumed messages while waiting out a Schema Registry that does
 * not answer (with the message's partition paused), instead of failing on a
 * message that may be fine.
 */
import { consoleLogger } from "../loop/logger.ts";
import { type OutageLogger, RegistryOutage } from "../registry/outage.ts";
import type { IncomingMessage, TopicPartition, TransportConsumer } from "../transport/types.ts";

/**
 * Runs a message's decode, retried until the registry answers or
 * `maxWaitMs()` passes; the outage is logged once, however many messages wait.
 * With `pending`, the consumer pauses every partition and keeps polling while
 * it waits (so a long outage does not exceed `max.poll.interval.ms` and cost
 * its group membership); what those polls return is appended to `pending`.
 * Without it, only the message's partition is paused. The outage goes to `log`
 * (the connection's logger), else to the console.
 */
export function decoderWaitingForRegistry(
  topic: string,
  consumer: TransportConsumer,
  maxWaitMs: () => number | undefined,
  pending?: IncomingMessage[],
  log: OutageLogger = consoleLogger,
): <X>(message: IncomingMessage, decode: () => Promise<X>) => Promise<X> {
  const outage = new RegistryOutage(log, { topic });
  let paused: TopicPartition[] = [];
  const idle = pending && (async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      pending.push(...await consumer.poll(500, Math.max(1, until - Date.now())));
    }
  });
  return async (message, decode) => {
    const decoded = await outage.retry(decode, {
      maxWaitMs: maxWaitMs(),
      onWait: () => {
        paused = pending ? consumer.assignment() : [message];
        consumer.pause(paused);
      },
      onDone: () => {
        const held = consumer.assignment();
        const again = paused.filter((p) =>
          held.some((tp) => tp.topic === p.topic && tp.partition === p.partition)
        );
        if (again.length > 0) consumer.resume(again);
        paused = [];
      },
      idle,
    });
    // Without a signal the wait ends only with an answer or an error.
    return decoded!.value;
  };
}
