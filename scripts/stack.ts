/**
 * The local Kafka stack without Docker: Apache Kafka on 127.0.0.1:9092 and
 * Apicurio Registry 3.3.3 on 127.0.0.1:8081, whose Confluent-compatible API is
 * http://127.0.0.1:8081/apis/ccompat/v7.
 *
 *   deno run -A scripts/stack.ts up|down|status
 *   deno run -A scripts/stack.ts up --brokers 3
 *   deno run -A scripts/stack.ts up --connect
 *
 * `up --brokers 3` starts the three-node KRaft cluster of the cluster suite
 * (scripts/stack/cluster.ts, 127.0.0.1:19191-19193) and the registry instead
 * of the single node; `up --connect` adds Kafka Connect (Debezium's PostgreSQL
 * connector, Apicurio's AvroConverter) on 127.0.0.1:8083 and PostgreSQL 15 on
 * 127.0.0.1:25432; `down` stops whatever this stack started.
 *
 * `up` is idempotent (it reuses whatever already listens) and waits for
 * readiness; `down` ends only processes it started. When
 * KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL are set, nothing is started
 * for that service and the given address is used.
 */
import { kafkaPort, startKafka } from "./stack/kafka.ts";
import { registryBaseUrl, registryName, registryPort, startRegistry } from "./stack/registry.ts";
import { isListening, runningPid, stopService } from "./stack/process.ts";
import { stopSecureStack } from "./stack/secure.ts";
import { clusterStatus, startCluster, stopCluster } from "./stack/cluster.ts";
import { parseArgs } from "node:util";
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

/** Stops the processes this stack started: Connect and PostgreSQL first, registry, the cluster last. */
export async function stackDown(): Promise<void> {
  console.log(`connect: ${await stopService("connect") ? "stopped" : "not started by this stack"}`);
  console.log(`postgres: ${await stopPostgres() ? "stopped" : "not started by this stack"}`);
  await stopSecureStack();
  for (const service of ["registry", "kafka"]) {
    const stopped = await stopService(service);
    console.log(`${service}: ${stopped ? "stopped" : "not started by this stack"}`);
  }
  await stopCluster();
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
    const name = service === "registry" && listening
      ? `  ${await registryName() ?? "not Apicurio"}, ${registryBaseUrl}`
      : "";
    console.log(
      `${service.padEnd(9)} 127.0.0.1:${port}  ${listening ? "up" : "down"}  ${owner}${name}`,
    );
  }
  await clusterStatus();
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      brokers: { type: "string", default: "1" },
      connect: { type: "boolean", default: false },
    },
  });
  const command = positionals[0];
  if (command === "up" && values.brokers === "3") {
    const bootstrap = await startCluster();
    if (!Deno.env.get("SCHEMA_REGISTRY_URL")) await startRegistry();
    console.log(`FLOWODM_CLUSTER_BOOTSTRAP=${bootstrap}`);
  } else if (command === "up" && values.brokers !== "1") {
    console.error("--brokers is 1 (the single node) or 3 (the cluster)");
    Deno.exit(2);
  } else if (command === "up") {
    const { bootstrapServers } = await stackUp();
    if (values.connect) await connectStackUp(bootstrapServers);
  } else if (command === "down") await stackDown();
  else if (command === "status") await stackStatus();
  else {
    console.error("usage: deno run -A scripts/stack.ts up [--brokers 1|3] [--connect]|down|status");
    Deno.exit(2);
  }
}
