/**
 * Apache Kafka for the local stack: one KRaft node (broker and controller) on
 * 127.0.0.1:9092, run from Maven Central jars with a small heap. Topics are
 * never auto-created, as in a careful production cluster.
 */
import {
  isListening,
  logFile,
  resolveJars,
  runChecked,
  stackHome,
  startDetached,
  waitUntilReady,
} from "./process.ts";

/** Kafka's client port. */
export const kafkaPort = 9092;
const controllerPort = 9093;
const home = `${stackHome}/kafka`;
/** Where Kafka's jars are copied from Maven Central; the cluster nodes use them too. */
export const kafkaLibs = `${home}/libs`;
const libs = kafkaLibs;
const pom = new URL("./kafka-pom.xml", import.meta.url).pathname;

/** Copies Kafka's jars from Maven Central once; returns their folder (shared with other Kafka nodes). */
export async function kafkaJars(): Promise<string> {
  await Deno.mkdir(home, { recursive: true });
  await resolveJars("kafka", pom, libs);
  return libs;
}

const serverProperties = (dataDir: string) => `
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${kafkaPort}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${dataDir}
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
group.consumer.min.session.timeout.ms=1000
group.min.session.timeout.ms=1000
log.retention.hours=2
`;

/** Kafka's logging: INFO to stdout, which the stack appends to the service log. */
export const log4jConfig = `Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: STDOUT
`;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** The JVM arguments after the heap settings that run a Kafka server with `config`. */
export function kafkaMain(log4jFile: string, config: string): string[] {
  return [
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4jFile}`,
    "-cp",
    `${libs}/*`,
    "kafka.Kafka",
    config,
  ];
}

/** Writes the configuration and formats the storage directory once. */
async function ensureFormatted(): Promise<string> {
  const config = `${home}/server.properties`;
  const data = `${home}/data`;
  await Deno.writeTextFile(config, serverProperties(data));
  await Deno.writeTextFile(`${home}/log4j2.yaml`, log4jConfig);
  if (!(await exists(`${data}/meta.properties`))) {
    const classpath = `${libs}/*`;
    const clusterId = (await runChecked("java", [
      "-cp",
      classpath,
      "kafka.tools.StorageTool",
      "random-uuid",
    ])).trim().split("\n").at(-1)!;
    await runChecked("java", [
      "-cp",
      classpath,
      "kafka.tools.StorageTool",
      "format",
      "--standalone",
      "-t",
      clusterId,
      "-c",
      config,
    ]);
  }
  return config;
}

/**
 * Asks the broker for its API versions over the Kafka protocol: a real answer
 * means the broker is serving requests, not just that its port is open.
 */
export async function kafkaAnswers(port = kafkaPort): Promise<boolean> {
  let conn: Deno.Conn | undefined;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const clientId = new TextEncoder().encode("flowodm-stack");
    const request = new DataView(new ArrayBuffer(4 + 10 + clientId.length));
    request.setInt32(0, 10 + clientId.length); // size
    request.setInt16(4, 18); // ApiVersions
    request.setInt16(6, 0); // version 0
    request.setInt32(8, 7); // correlation id
    request.setInt16(12, clientId.length);
    new Uint8Array(request.buffer).set(clientId, 14);
    await conn.write(new Uint8Array(request.buffer));
    const head = new Uint8Array(10);
    let read = 0;
    while (read < head.length) {
      const n = await conn.read(head.subarray(read));
      if (n === null) return false;
      read += n;
    }
    const view = new DataView(head.buffer);
    return view.getInt32(4) === 7 && view.getInt16(8) === 0;
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

/** Starts Kafka unless something already listens on its port; returns the pid it started. */
export async function startKafka(): Promise<number | undefined> {
  if (await isListening(kafkaPort)) {
    console.log(`kafka: already listening on 127.0.0.1:${kafkaPort}`);
    await waitUntilReady("kafka", kafkaAnswers, 60_000);
    return undefined;
  }
  await kafkaJars();
  const config = await ensureFormatted();
  const pid = await startDetached("kafka", [
    "java",
    "-Xms256m",
    "-Xmx512m",
    "-XX:+UseG1GC",
    ...kafkaMain(`${home}/log4j2.yaml`, config),
  ]);
  console.log(`kafka: started pid ${pid}, log ${logFile("kafka")}`);
  await waitUntilReady("kafka", kafkaAnswers, 90_000);
  return pid;
}
