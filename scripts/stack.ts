/**
 * The local Kafka stack without Docker: Apache Kafka on 127.0.0.1:9092 and a
 * Confluent-compatible Schema Registry on 127.0.0.1:8081; with `--connect`
 * also Kafka Connect (Debezium's PostgreSQL connector) on 127.0.0.1:8083 and
 * PostgreSQL 15 on 127.0.0.1:45432.
 *
 *   deno run -A scripts/stack.ts up [--connect]|down|status
 *
 * `up` is idempotent (it reuses whatever already listens) and waits for
 * readiness; `down` ends only processes it started. When
 * KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL are set, nothing is started
 * for that service and the given address is used.
 */
import { kafkaPort, startKafka } from "./stack/kafka.ts";
import { registryBaseUrl, registryPort, startRegistry } from "./stack/registry.ts";
import { isListening, runningPid, stopService } from "./stack/process.ts";
import { connectPort, connectUrl, startConnect } from "./stack/connect.ts";
import { postgresPort, postgresUrl, startPostgres, stopPostgres } from "./stack/postgres.ts";

/** Addresses of the running stack. */
export interface StackAddresses {
  bootstrapServers: string;
  schemaRegistryUrl: string;
}

/** Starts what is missing and resolves with the addresses to use. */
export async function stackUp(): Promise<StackAddresses> {
  const started = Date.now();
  let bootstrapServers = Deno.env.get("KAFKA_BOOTSTRAP_SERVERS");
  if (bootstrapServers) {
    console.log(`kafka: using KAFKA_BOOTSTRAP_SERVERS=${bootstrapServers}`);
  } else {
    await startKafka();
    bootstrapServers = `127.0.0.1:${kafkaPort}`;
  }
  let schemaRegistryUrl = Deno.env.get("SCHEMA_REGISTRY_URL");
  if (schemaRegistryUrl) {
    console.log(`registry: using SCHEMA_REGISTRY_URL=${schemaRegistryUrl}`);
  } else {
    await startRegistry();
    schemaRegistryUrl = registryBaseUrl;
  }
  console.log(`stack: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { bootstrapServers, schemaRegistryUrl };
}

/** Addresses of Kafka Connect and PostgreSQL. */
export interface ConnectStackAddresses {
  kafkaConnectUrl: string;
  postgresUrl: string;
}

/**
 * Starts PostgreSQL and the Kafka Connect worker (on the given broker) unless
 * KAFKA_CONNECT_URL / FLOWODM_POSTGRES_URL name running ones.
 */
export async function connectStackUp(bootstrapServers: string): Promise<ConnectStackAddresses> {
  const started = Date.now();
  let pg = Deno.env.get("FLOWODM_POSTGRES_URL");
  if (pg) console.log(`postgres: using FLOWODM_POSTGRES_URL`);
  else {
    await startPostgres();
    pg = postgresUrl;
  }
  let kafkaConnectUrl = Deno.env.get("KAFKA_CONNECT_URL");
  if (kafkaConnectUrl) console.log(`connect: using KAFKA_CONNECT_URL=${kafkaConnectUrl}`);
  else {
    await startConnect(bootstrapServers);
    kafkaConnectUrl = connectUrl;
  }
  console.log(`connect stack: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { kafkaConnectUrl, postgresUrl: pg };
}

/** Stops the processes this stack started: Connect and PostgreSQL, then the registry and Kafka. */
export async function stackDown(): Promise<void> {
  console.log(`connect: ${await stopService("connect") ? "stopped" : "not started by this stack"}`);
  console.log(`postgres: ${await stopPostgres() ? "stopped" : "not started by this stack"}`);
  for (const service of ["registry", "kafka"]) {
    const stopped = await stopService(service);
    console.log(`${service}: ${stopped ? "stopped" : "not started by this stack"}`);
  }
}

/** Prints each service with its port, pid and state. */
export async function stackStatus(): Promise<void> {
  for (
    const [service, port] of [
      ["kafka", kafkaPort],
      ["registry", registryPort],
      ["connect", connectPort],
      ["postgres", postgresPort],
    ] as const
  ) {
    const listening = await isListening(port);
    const pid = await runningPid(service);
    const owner = pid ? `pid ${pid}` : listening ? "not ours" : "-";
    console.log(`${service.padEnd(9)} 127.0.0.1:${port}  ${listening ? "up" : "down"}  ${owner}`);
  }
}

if (import.meta.main) {
  const command = Deno.args[0];
  if (command === "up") {
    const { bootstrapServers } = await stackUp();
    if (Deno.args.includes("--connect")) await connectStackUp(bootstrapServers);
  } else if (command === "down") await stackDown();
  else if (command === "status") await stackStatus();
  else {
    console.error("usage: deno run -A scripts/stack.ts up [--connect]|down|status");
    Deno.exit(2);
  }
}
