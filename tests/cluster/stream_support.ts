/**
 * A continuous keyed stream into a topic of the cluster, and the accounting of
 * what a consumer group handled: gaps per partition, duplicates, stalls.
 */
import type { Transport, TransportProducer } from "../../src/transport/types.ts";
import { sleep } from "./cluster_support.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** A producer writing `batch` JSON items every `everyMs` until stopped. */
export class Stream {
  /** Acked offsets per partition. */
  readonly acked = new Map<number, number[]>();
  /** Messages whose delivery failed. */
  failed = 0;
  /** The longest time between two acked batches, in milliseconds. */
  maxStallMs = 0;
  #next = 0;
  #stopped = false;
  #done: Promise<void> = Promise.resolve();

  private constructor(readonly producer: TransportProducer) {}

  /** Starts writing to `topic`. */
  static async start(
    transport: Transport,
    topic: string,
    batch = 40,
    everyMs = 40,
  ): Promise<Stream> {
    // Idempotence set here: main's default producer does not set it yet.
    const stream = new Stream(await transport.producer({ "enable.idempotence": true }));
    stream.#done = stream.#run(topic, batch, everyMs);
    return stream;
  }

  /** How many messages were acked. */
  get count(): number {
    let sum = 0;
    for (const offsets of this.acked.values()) sum += offsets.length;
    return sum;
  }

  async #run(topic: string, batch: number, everyMs: number): Promise<void> {
    let lastAck = Date.now();
    while (!this.#stopped) {
      const messages = Array.from({ length: batch }, () => {
        const id = this.#next++;
        return {
          topic,
          key: encode(`k${id % 60}`),
          value: encode(JSON.stringify({ id, key: "" })),
        };
      });
      for (const result of await this.producer.send(messages)) {
        if (!result.ok) {
          this.failed++;
          continue;
        }
        const offsets = this.acked.get(result.report.partition) ?? [];
        offsets.push(result.report.offset);
        this.acked.set(result.report.partition, offsets);
      }
      this.maxStallMs = Math.max(this.maxStallMs, Date.now() - lastAck);
      lastAck = Date.now();
      await sleep(everyMs);
    }
  }

  /** Stops writing and closes the producer; again, it does nothing. */
  async stop(): Promise<void> {
    if (this.#stopped) return await this.#done;
    this.#stopped = true;
    this.#done = this.#done.then(() => this.producer.close());
    await this.#done;
  }
}

/** Every (partition, offset) a group's handlers finished, with how often. */
export class Handled {
  readonly #seen = new Map<string, number>();
  /** Handler calls in all. */
  total = 0;
  /** The longest time between two handled messages while the stream ran, in milliseconds. */
  maxStallMs = 0;
  #last = 0;

  /** Records one handled message. */
  add(partition: number, offset: number): void {
    const key = `${partition}:${offset}`;
    this.#seen.set(key, (this.#seen.get(key) ?? 0) + 1);
    this.total++;
    const now = Date.now();
    if (this.#last) this.maxStallMs = Math.max(this.maxStallMs, now - this.#last);
    this.#last = now;
  }

  /** Adds the lines `partition:offset` another process wrote. */
  addLines(text: string): void {
    for (const line of text.split("\n")) {
      if (!line) continue;
      const [partition, offset] = line.split(":").map(Number);
      this.add(partition, offset);
    }
  }

  /** True when the message at `key` (`partition:offset`) was handled. */
  has(key: string): boolean {
    return this.#seen.has(key);
  }

  /** Distinct messages handled. */
  get unique(): number {
    return this.#seen.size;
  }

  /** Handler calls beyond the first for a message. */
  get duplicates(): number {
    return this.total - this.unique;
  }

  /** True once every acked message was handled. */
  covers(stream: Stream): boolean {
    return this.missing(stream).length === 0;
  }

  /**
   * Acked messages never handled, and offsets of a partition below its last
   * acked one that were never handled (a gap), as `partition:offset`.
   */
  missing(stream: Stream): string[] {
    const out: string[] = [];
    for (const [partition, offsets] of stream.acked) {
      const last = Math.max(...offsets);
      for (let offset = 0; offset <= last; offset++) {
        if (!this.#seen.has(`${partition}:${offset}`)) out.push(`${partition}:${offset}`);
      }
    }
    return out;
  }
}
