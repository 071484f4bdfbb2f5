import { execFile } from "node:child_process";
import process from "node:process";
import { promisify } from "node:util";
import { kafkaBootstrap, runtime } from "../../support.ts";
import { ffiTransport, freshTopic } from "../transport_support.ts";

const child = new URL("./ffi_child.ts", import.meta.url).pathname;

/** Runs ffi_child.ts on this runtime; rejects on a non-zero exit or after `timeoutMs`. */
export function runChild(mode: string, topic: string, timeoutMs: number) {
  const args = runtime === "deno" ? ["run", "-A", child, mode, topic] : [child, mode, topic];
  return promisify(execFile)(process.execPath, args, {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap() },
    timeout: timeoutMs,
  });
}

/** A new one-partition topic for children to use, made through a transport closed again. */
export async function topicForChildren(prefix: string): Promise<string> {
  const setup = await ffiTransport();
  try {
    return await freshTopic(setup, prefix, 1);
  } finally {
    await setup.close();
  }
}
