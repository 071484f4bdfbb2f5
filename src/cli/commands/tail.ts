/**
 * `flowodm tail`: prints a topic's records as they arrive (or from the
 * beginning), decoded with their writers' schemas: key, partition, offset,
 * timestamp, headers and schema id with each value. Undecodable records are
 * printed as such and the tail goes on. It reads in a group of its own and
 * commits nothing unless `--group` is given.
 *
 * @module
 */
import process from "node:process";
import { ConfigError } from "../../errors.ts";
import { onTerminate } from "../../loop/signals.ts";
import { OffsetCommitter } from "../../model/offset_committer.ts";
import { createTransport } from "../../transport/select.ts";
import { runtime } from "../../runtime.ts";
import type { Transport, TransportConfig } from "../../transport/types.ts";
import { type Command, optional, type OptionValues, required } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { formatView, RecordDecoder } from "../record_view.ts";

/** Deno and Bun (the binary) use the ffi transport, imported by name so the binary embeds it. */
async function kafka(config: TransportConfig): Promise<Transport> {
  if (runtime !== "node") {
    const { createFfiTransport } = await import("../../transport/ffi/mod.ts");
    return await createFfiTransport(config);
  }
  return await createTransport(config);
}

function maxOption(values: OptionValues): number {
  const raw = optional(values, "max");
  if (raw === undefined) return Infinity;
  const max = Number(raw);
  if (!Number.isInteger(max) || max < 1) {
    throw new ConfigError(`--max ${raw} is not a count: use a whole number from 1`);
  }
  return max;
}

/** The `tail` command. */
export const tail: Command = {
  name: "tail",
  summary: "print a topic's records decoded, with key, partition, offset, headers and schema id",
  synopsis: "--topic <topic> [--from-beginning] [--group <group>] [--max <n>] [--json]",
  options: {
    topic: { type: "string", value: "<topic>", description: "the topic to read" },
    "from-beginning": {
      type: "boolean",
      description: "start at the earliest record (default: new records only)",
    },
    group: {
      type: "string",
      value: "<group>",
      description: "read in this consumer group and commit what was printed " +
        "(default: a group of its own, nothing committed)",
    },
    max: { type: "string", value: "<n>", description: "stop after n records" },
    "bootstrap-servers": {
      type: "string",
      value: "<host:port>",
      description: "the Kafka cluster (default: KAFKA_BOOTSTRAP_SERVERS)",
    },
  },
  async run({ output, registry, connection }, values) {
    const topic = required(values, "topic", "tail");
    const max = maxOption(values);
    const bootstrapServers = optional(values, "bootstrap-servers") ??
      process.env.KAFKA_BOOTSTRAP_SERVERS;
    if (!bootstrapServers) {
      throw new ConfigError(
        "no Kafka cluster configured: pass --bootstrap-servers host:9092 or set KAFKA_BOOTSTRAP_SERVERS",
      );
    }
    const group = optional(values, "group");
    const decoder = new RecordDecoder(registry());
    const transport = await kafka({
      bootstrapServers,
      // Security settings (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*) as every connection reads them.
      properties: connection().kafkaProperties(),
    });
    const stop = new AbortController();
    const unlisten = onTerminate(() => stop.abort());
    try {
      const admin = await transport.admin();
      try {
        await admin.partitionCount(topic); // a missing topic fails here, naming it
      } finally {
        await admin.close();
      }
      const consumer = await transport.consumer({
        groupId: group ?? `flowodm-tail-${crypto.randomUUID()}`,
        fromBeginning: Boolean(values["from-beginning"]),
      });
      const committer = group ? new OffsetCommitter(consumer) : undefined;
      try {
        await consumer.subscribe([topic]);
        let printed = 0;
        while (printed < max && !stop.signal.aborted) {
          for (const message of await consumer.poll(Math.min(500, max - printed), 500)) {
            const view = await decoder.view(message);
            output.record(view, formatView(view));
            void committer?.commit({ ...message, offset: message.offset + 1 });
            if (++printed >= max) break;
          }
          await output.flush(); // a slow terminal slows the tail, not memory
        }
      } finally {
        await committer?.close();
        await consumer.close();
      }
      return ExitCode.ok;
    } finally {
      unlisten();
      await transport.close();
    }
  },
};
