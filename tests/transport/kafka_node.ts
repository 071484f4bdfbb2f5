/**
 * A second, private KRaft node for chaos tests: the stack's configuration
 * (scripts/stack/kafka_config.ts) on the test's own ports and a temporary
 * data directory, run from the stack's jars with node: APIs so that Deno,
 * Node and Bun tests can start it, SIGKILL it and restart it. The shared node
 * on 9092 is never touched.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  apiVersionsAnswered,
  apiVersionsRequest,
  formatJavaArgs,
  kafkaJavaArgs,
  log4jConfig,
  serverProperties,
} from "../../scripts/stack/kafka_config.ts";

/** Any fixed KRaft cluster id will do for a throwaway node (saves a JVM start). */
const clusterId = "Zmxvd29kbS1jaGFvcy0x";

/** The stack's home (git-ignored): its Kafka jars, and formatted storage kept for reuse. */
const stackHome = () => join(process.cwd(), ".flowodm", "stack");

/**
 * A test node starts in seconds, not minutes, on a busy machine: the JIT
 * stops at C1 and a serial collector suits a short-lived, small broker.
 */
const fastStart = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"];

/** Where the stack's Kafka jars are (resolved by `deno task stack:up`). */
function libsDir(): string {
  const libs = join(stackHome(), "kafka", "libs");
  if (!existsSync(join(libs, ".complete"))) {
    throw new Error(`no Kafka jars at ${libs}: run \`deno task stack:up\` first`);
  }
  return libs;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a node on `port` answers an ApiVersions request. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let head = new Uint8Array(0);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write(apiVersionsRequest()));
    socket.on("data", (chunk: Uint8Array) => {
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      head = joined;
      if (head.length >= 10) done(apiVersionsAnswered(head.subarray(0, 10)));
    });
    socket.on("close", () => done(false));
  });
}

/** Runs a command to completion; rejects with its output when it fails. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk) => output += chunk);
    child.stderr!.on("data", (chunk) => output += chunk);
    child.on("error", reject);
    child.on(
      "close",
      (code) =>
        code === 0 ? resolve() : reject(new Error(`${command} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * Empty storage formatted for these ports (KRaft's standalone format records
 * the controller's address), made once and copied for every node: one JVM
 * start fewer per test, and none after the first runtime.
 */
async function formattedStorage(libs: string, port: number, controllerPort: number) {
  const template = join(stackHome(), "kafka-chaos", `storage-${controllerPort}`);
  if (existsSync(join(template, "meta.properties"))) return template;
  rmSync(template, { recursive: true, force: true });
  mkdirSync(join(stackHome(), "kafka-chaos"), { recursive: true });
  const config = join(stackHome(), "kafka-chaos", `format-${controllerPort}.properties`);
  writeFileSync(config, serverProperties({ port, controllerPort, dataDir: template }));
  await run("java", formatJavaArgs(libs, clusterId, config, fastStart));
  return template;
}

/** A private single-node Kafka cluster. */
export class KafkaNode {
  readonly #port: number;
  readonly #dir: string;
  readonly #args: string[];
  #pid: number | undefined;

  private constructor(port: number, dir: string, args: string[]) {
    this.#port = port;
    this.#dir = dir;
    this.#args = args;
  }

  /** The node's bootstrap address. */
  get bootstrapServers(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** Formats a fresh data directory and starts the node on these ports. */
  static async start(port: number, controllerPort: number): Promise<KafkaNode> {
    for (const taken of [port, controllerPort]) {
      if (await answers(taken)) throw new Error(`port ${taken} is already in use`);
    }
    const libs = libsDir();
    const dir = mkdtempSync(join(tmpdir(), "flowodm-kafka-"));
    const config = join(dir, "server.properties");
    const log4j = join(dir, "log4j2.yaml");
    const layout = { port, controllerPort, dataDir: join(dir, "data") };
    writeFileSync(config, serverProperties(layout));
    writeFileSync(log4j, log4jConfig);
    cpSync(await formattedStorage(libs, port, controllerPort), layout.dataDir, { recursive: true });
    const node = new KafkaNode(port, dir, kafkaJavaArgs(libs, log4j, config, fastStart));
    await node.restart();
    return node;
  }

  /** Starts the node again on the same data and waits until it serves requests. */
  async restart(deadlineMs = 120_000): Promise<void> {
    const log = join(this.#dir, "kafka.log");
    // exec: the shell's pid becomes the JVM's, so a kill reaches Kafka itself.
    const quoted = this.#args.map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
    const child = spawn("sh", ["-c", `exec java ${quoted} >>'${log}' 2>&1`], {
      detached: true,
      stdio: "ignore",
    });
    child.unref();
    this.#pid = child.pid;
    const deadline = Date.now() + deadlineMs;
    while (!(await answers(this.#port))) {
      if (Date.now() > deadline) throw new Error(`Kafka on ${this.#port} not ready; see ${log}`);
      await delay(250);
    }
  }

  /** SIGKILL: the JVM dies at once, without closing anything. */
  kill(): void {
    if (this.#pid !== undefined) process.kill(this.#pid, "SIGKILL");
    this.#pid = undefined;
  }

  /** Kills the node and removes its data. */
  async stop(): Promise<void> {
    this.kill();
    const deadline = Date.now() + 10_000;
    while (await answers(this.#port) && Date.now() < deadline) await delay(100);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
