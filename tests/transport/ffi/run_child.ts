import { execFile } from "node:child_process";
import process from "node:process";
import { promisify } from "node:util";
import { kafkaBootstrap, runtime } from "../../support.ts";

const child = new URL("./ffi_child.ts", import.meta.url).pathname;

/** Runs ffi_child.ts on this runtime; rejects on a non-zero exit or after `timeoutMs`. */
export function runChild(mode: string, topic: string, timeoutMs: number) {
  const args = runtime === "deno" ? ["run", "-A", child, mode, topic] : [child, mode, topic];
  return promisify(execFile)(process.execPath, args, {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap() },
    timeout: timeoutMs,
  });
}
