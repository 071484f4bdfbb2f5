/**
 * Decoding consumed messages while waiting out a Schema Registry that does
 * not answer (with the message's partition paused), instead of failing on a
 * message that may be fine.
 */
import { consoleLogger } from "../loop/logger.ts";
import { RegistryOutage } from "../registry/outage.ts";
import type { IncomingMessage, TransportConsumer } from "../transport/types.ts";

/**
 * Runs a message's decode, retried until the registry answers or
 * `maxWaitMs()` passes; the outage is logged once, however many messages wait.
 */
export function decoderWaitingForRegistry(
  topic: string,
  consumer: TransportConsumer,
  maxWaitMs: () => number | undefined,
): <X>(message: IncomingMessage, decode: () => Promise<X>) => Promise<X> {
  const outage = new RegistryOutage(consoleLogger, { topic });
  const held = (message: IncomingMessage) =>
    consumer.assignment().some((tp) =>
      tp.topic === message.topic && tp.partition === message.partition
    );
  return async (message, decode) => {
    const decoded = await outage.retry(decode, {
      maxWaitMs: maxWaitMs(),
      onWait: () => consumer.pause([message]),
      onDone: () => {
        if (held(message)) consumer.resume([message]);
      },
    });
    // Without a signal the wait ends only with an answer or an error.
    return decoded!.value;
  };
}
