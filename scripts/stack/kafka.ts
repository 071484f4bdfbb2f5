/**
 * Apache Kafka for the local stack: one KRaft node (broker and controller) on
 * 127.0.0.1:9092, run from Maven Central jars with a small heap. Its
 * configuration (kafka_config.ts) is shared with the chaos tests' own nodes.
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
import {
  apiVersionsAnswered,
  apiVersionsRequest,
  formatJavaArgs,
  kafkaJavaArgs,
  log4jConfig,
  serverProperties,
} from "./kafka_config.ts";

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

/** Kafka's logging: INFO to stdout, which the stack appends to the service log. */
export { log4jConfig };

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
  await Deno.writeTextFile(
    config,
    serverProperties({ port: kafkaPort, controllerPort, dataDir: data }),
  );
  await Deno.writeTextFile(`${home}/log4j2.yaml`, log4jConfig);
  if (!(await exists(`${data}/meta.properties`))) {
    const classpath = `${libs}/*`;
    const clusterId = (await runChecked("java", [
      "-cp",
      classpath,
      "kafka.tools.StorageTool",
      "random-uuid",
    ])).trim().split("\n").at(-1)!;
    await runChecked("java", formatJavaArgs(libs, clusterId, config));
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
    await conn.write(apiVersionsRequest());
    const head = new Uint8Array(10);
    let read = 0;
    while (read < head.length) {
      const n = await conn.read(head.subarray(read));
      if (n === null) return false;
      read += n;
    }
    return apiVersionsAnswered(head);
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
    ...kafkaJavaArgs(libs, `${home}/log4j2.yaml`, config),
  ]);
  console.log(`kafka: started pid ${pid}, log ${logFile("kafka")}`);
  await waitUntilReady("kafka", kafkaAnswers, 90_000);
  return pid;
}
