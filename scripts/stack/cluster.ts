/**
 * A three-node KRaft cluster for the cluster suite: each node is a broker and
 * a controller (a three-voter quorum), run from the same Maven Central jars as
 * the single node, on 127.0.0.1 ports 19191-19193 (clients) and 19201-19203
 * (controllers), or from FLOWODM_CLUSTER_PORT_BASE + 1..3 and + 11..13 (e.g.
 * 49090: a second cluster on one machine). Topics default to replication
 * factor 3 and `min.insync.replicas=2`, as in production.
 *
 *   deno run -A scripts/stack/cluster.ts up|down|status
 *   deno run -A scripts/stack/cluster.ts start N | stop N | kill N | pid N
 *
 * `up` is idempotent (a node already listening is reused) and waits until
 * every node answers; `stop` sends SIGTERM (a controlled shutdown that moves
 * the node's leaders away) and `kill` SIGKILL, both waiting for the process
 * to end; `start` brings one node back and waits until it answers.
 */
import { kafkaAnswers, kafkaJars, kafkaLibs, kafkaMain, log4jConfig } from "./kafka.ts";
import {
  delay,
  isListening,
  logFile,
  runChecked,
  runningPid,
  stackHome,
  startDetached,
  waitUntilReady,
} from "./process.ts";

/** The node ids of the cluster. */
export const clusterNodeIds = [1, 2, 3] as const;
/** The base of the cluster's ports: FLOWODM_CLUSTER_PORT_BASE, 19190 by default. */
export const clusterPortBase: number = portBase(Deno.env.get("FLOWODM_CLUSTER_PORT_BASE"));
/** The client port of node `id`. */
export const clusterPort = (id: number): number => clusterPortBase + id;
const controllerPort = (id: number) => clusterPortBase + 10 + id;

function portBase(value: string | undefined): number {
  if (value === undefined || value === "") return 19190;
  const base = Number(value);
  // The controllers use base + 11..13: the whole range must be a valid port range.
  if (!Number.isInteger(base) || base < 1024 || base + 13 > 65535) {
    throw new Error(
      `FLOWODM_CLUSTER_PORT_BASE must be an integer from 1024 to 65522, not ${value}`,
    );
  }
  return base;
}
const home = `${stackHome}/cluster`;
const service = (id: number) => `cluster-${id}`;
const readyDeadlineMs = 180_000;

/** The bootstrap list of the cluster, every node. */
export const clusterBootstrap = clusterNodeIds.map((id) => `127.0.0.1:${clusterPort(id)}`).join(
  ",",
);

const voters = clusterNodeIds.map((id) => `${id}@127.0.0.1:${controllerPort(id)}`).join(",");

// Short fencing and election timeouts: a killed node's partitions get new
// leaders within seconds, which keeps the failover tests short.
const serverProperties = (id: number, dataDir: string) => `
process.roles=broker,controller
node.id=${id}
controller.quorum.voters=${voters}
listeners=PLAINTEXT://127.0.0.1:${clusterPort(id)},CONTROLLER://127.0.0.1:${controllerPort(id)}
advertised.listeners=PLAINTEXT://127.0.0.1:${clusterPort(id)}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${dataDir}
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
group.consumer.min.session.timeout.ms=1000
group.consumer.heartbeat.interval.ms=1000
group.consumer.session.timeout.ms=6000
group.consumer.min.heartbeat.interval.ms=500
group.min.session.timeout.ms=1000
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
controller.quorum.election.timeout.ms=1000
controller.quorum.fetch.timeout.ms=2000
replica.lag.time.max.ms=10000
num.network.threads=2
num.io.threads=2
num.replica.fetchers=1
background.threads=2
log.retention.hours=2
`;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * A cluster id (16 random bytes, base64url without padding), kept with the
 * data. Never one that starts with "-": the storage tool would read it as an
 * option and refuse to format (Kafka's own ids avoid that too).
 */
async function clusterId(): Promise<string> {
  const file = `${home}/cluster.id`;
  const known = (await Deno.readTextFile(file).catch(() => "")).trim();
  if (known && !known.startsWith("-")) return known;
  let id = "-";
  while (id.startsWith("-")) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
      .replace(/=+$/, "");
  }
  await Deno.writeTextFile(file, id);
  return id;
}

/** Writes node `id`'s configuration and formats its storage once; returns the config path. */
async function prepareNode(id: number, cluster: string): Promise<string> {
  const dir = `${home}/node-${id}`;
  await Deno.mkdir(dir, { recursive: true });
  const config = `${dir}/server.properties`;
  const data = `${dir}/data`;
  await Deno.writeTextFile(config, serverProperties(id, data));
  await Deno.writeTextFile(`${dir}/log4j2.yaml`, log4jConfig);
  if (!(await exists(`${data}/meta.properties`))) {
    await runChecked("java", [
      "-XX:TieredStopAtLevel=1",
      "-cp",
      `${kafkaLibs}/*`,
      "kafka.tools.StorageTool",
      "format",
      "-t",
      cluster,
      "-c",
      config,
    ]);
  }
  return config;
}

/**
 * Starts node `id` unless it listens already or its recorded process still
 * runs (a JVM that has not opened its port yet: a second one would fail to
 * bind and take over the pid file); resolves once it answers.
 */
export async function startNode(id: number): Promise<void> {
  const recorded = await runningPid(service(id));
  const running = recorded !== undefined && await alive(recorded);
  if (!running && !(await isListening(clusterPort(id)))) {
    const dir = `${home}/node-${id}`;
    // C1 only and a serial collector: three JVMs share two cores with the tests.
    const pid = await startDetached(service(id), [
      "java",
      "-Xms128m",
      "-Xmx384m",
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      ...kafkaMain(`${dir}/log4j2.yaml`, `${dir}/server.properties`),
    ]);
    console.log(`cluster: node ${id} started, pid ${pid}, log ${logFile(service(id))}`);
  }
  await waitUntilReady(service(id), () => kafkaAnswers(clusterPort(id)), readyDeadlineMs);
}

/**
 * Starts the three nodes (those not already listening) and resolves with the
 * bootstrap list once every node answers.
 */
export async function startCluster(): Promise<string> {
  const started = Date.now();
  const listening = await Promise.all(clusterNodeIds.map((id) => isListening(clusterPort(id))));
  if (listening.every(Boolean)) {
    console.log(`cluster: already listening on ${clusterBootstrap}`);
  } else {
    await kafkaJars();
    await Deno.mkdir(home, { recursive: true });
    const cluster = await clusterId();
    // Formatting runs one JVM per node: in parallel, once.
    await Promise.all(clusterNodeIds.map((id) => prepareNode(id, cluster)));
  }
  // Started together: a quorum needs two voters before any node is ready.
  await Promise.all(clusterNodeIds.map(startNode));
  console.log(`cluster: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return clusterBootstrap;
}

async function alive(pid: number): Promise<boolean> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => "");
  if (stat === "") return false;
  if (stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z") return true;
  // A zombie leader (this machine's init does not reap) has ended only once its
  // other threads have: until then the killed JVM still holds its ports.
  const tasks = await Array.fromAsync(Deno.readDir(`/proc/${pid}/task`)).catch(() => []);
  return tasks.length > 1;
}

/**
 * Ends node `id` with `signal` and waits until its process is gone (a SIGTERM
 * that outlasts `graceMs` becomes a SIGKILL). False when it was not running.
 */
export async function stopNode(
  id: number,
  signal: "SIGTERM" | "SIGKILL" = "SIGTERM",
  graceMs = 60_000,
): Promise<boolean> {
  const pid = await runningPid(service(id));
  if (pid === undefined || !(await alive(pid))) return false;
  Deno.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (await alive(pid)) {
    if (Date.now() > deadline) {
      Deno.kill(pid, "SIGKILL");
      console.error(`cluster: node ${id} outlasted ${graceMs} ms after ${signal}; killed`);
    }
    await delay(100);
  }
  // The port closes with the last thread; a start before that would find it open.
  while (await isListening(clusterPort(id)) && Date.now() < deadline) await delay(100);
  return true;
}

/** Stops every node this stack started. */
export async function stopCluster(): Promise<void> {
  await Promise.all(clusterNodeIds.map(async (id) => {
    const stopped = await stopNode(id, "SIGTERM", 20_000);
    console.log(`cluster: node ${id} ${stopped ? "stopped" : "not started by this stack"}`);
  }));
}

/** Prints each node with its port, pid and state. */
export async function clusterStatus(): Promise<void> {
  for (const id of clusterNodeIds) {
    const listening = await isListening(clusterPort(id));
    const pid = await runningPid(service(id));
    const owner = pid ? `pid ${pid}` : listening ? "not ours" : "-";
    const state = listening ? "up" : "down";
    console.log(`${service(id).padEnd(9)} 127.0.0.1:${clusterPort(id)}  ${state}  ${owner}`);
  }
}

function nodeArgument(value: string | undefined): number {
  const id = Number(value);
  if (!clusterNodeIds.includes(id as 1 | 2 | 3)) {
    console.error(`a node id is one of ${clusterNodeIds.join(", ")}`);
    Deno.exit(2);
  }
  return id;
}

if (import.meta.main) {
  const [command, node] = Deno.args;
  if (command === "up") await startCluster();
  else if (command === "down") await stopCluster();
  else if (command === "status") await clusterStatus();
  else if (command === "start") await startNode(nodeArgument(node));
  else if (command === "stop" || command === "kill") {
    // A node that was not running is an error: a test would go on as if it had stopped one.
    if (!(await stopNode(nodeArgument(node), command === "stop" ? "SIGTERM" : "SIGKILL"))) {
      console.error(`cluster: node ${node} is not running (no live pid in its pid file)`);
      Deno.exit(1);
    }
  } else if (command === "pid") console.log(await runningPid(service(nodeArgument(node))) ?? "");
  else {
    console.error(
      "usage: deno run -A scripts/stack/cluster.ts up|down|status|start N|stop N|kill N",
    );
    Deno.exit(2);
  }
}
