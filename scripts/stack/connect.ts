/**
 * Kafka Connect for the local stack: Apache Kafka's connect-runtime (the
 * broker's version) in distributed mode on 127.0.0.1:8083, its internal
 * topics on the stack's broker, with Debezium's PostgreSQL connector,
 * Apicurio's AvroConverter and Apache Kafka's file connectors on its plugin
 * path. Everything comes from Maven Central (connect-pom.xml,
 * debezium-pom.xml, apicurio-converter-pom.xml).
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

/** Connect's REST port. */
export const connectPort = 8083;
/** Its REST URL. */
export const connectUrl = `http://127.0.0.1:${connectPort}`;
const home = `${stackHome}/connect`;
const libs = `${home}/libs`;
const plugins = `${home}/plugins`;
const here = (file: string) => new URL(`./${file}`, import.meta.url).pathname;

const workerProperties = (bootstrapServers: string) => `
bootstrap.servers=${bootstrapServers}
group.id=flowodm-connect
listeners=http://127.0.0.1:${connectPort}
rest.advertised.host.name=127.0.0.1
rest.advertised.port=${connectPort}
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
config.storage.topic=flowodm-connect-configs
offset.storage.topic=flowodm-connect-offsets
status.storage.topic=flowodm-connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
offset.storage.partitions=5
status.storage.replication.factor=1
status.storage.partitions=1
offset.flush.interval.ms=1000
scheduled.rebalance.max.delay.ms=0
plugin.path=${plugins}
plugin.discovery=service_load
`;

// Properties, not YAML: the worker's classpath has no YAML parser for log4j.
const log4jConfig = `
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
logger.reflections.name=org.reflections
logger.reflections.level=ERROR
logger.clients.name=org.apache.kafka.clients
logger.clients.level=WARN
`;

/** Connect answers its REST API and lists Debezium's PostgreSQL connector. */
async function answers(): Promise<boolean> {
  try {
    const response = await fetch(`${connectUrl}/connector-plugins`, {
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    return response.ok && text.includes("io.debezium.connector.postgresql.PostgresConnector");
  } catch {
    return false;
  }
}

/** Resolves the worker's and the plugins' jars from Maven Central (once; later runs reuse them). */
export async function installConnect(): Promise<void> {
  await Deno.mkdir(plugins, { recursive: true });
  await resolveJars("connect", here("connect-pom.xml"), libs);
  await resolveJars(
    "debezium",
    here("debezium-pom.xml"),
    `${plugins}/debezium-connector-postgres`,
  );
  await resolveJars(
    "apicurio-converter",
    here("apicurio-converter-pom.xml"),
    `${plugins}/apicurio-converter`,
  );
  await writeServiceManifest(`${plugins}/apicurio-converter/flowodm-service-manifest.jar`);
}

/**
 * Apicurio's 2.6 converter jar lacks the ServiceLoader manifest that lets the
 * worker find plugins without scanning every class (`plugin.discovery=service_load`,
 * 1.5 s instead of about 30 s here): a tiny jar beside it supplies one.
 */
async function writeServiceManifest(path: string): Promise<void> {
  const entry = "META-INF/services/org.apache.kafka.connect.storage.Converter";
  const classes = "io.apicurio.registry.utils.converter.AvroConverter\n";
  await runChecked("python3", [
    "-c",
    "import sys, zipfile\n" +
    "with zipfile.ZipFile(sys.argv[1], 'w') as jar: jar.writestr(sys.argv[2], sys.argv[3])",
    path,
    entry,
    classes,
  ]);
}

/**
 * Starts the worker unless something already listens on its port; returns
 * the pid it started. `bootstrapServers` is the stack's broker.
 */
export async function startConnect(bootstrapServers: string): Promise<number | undefined> {
  if (await isListening(connectPort)) {
    console.log(`connect: already listening on ${connectUrl}`);
    await waitUntilReady("connect", answers, 180_000);
    return undefined;
  }
  await installConnect();
  const config = `${home}/connect-distributed.properties`;
  await Deno.writeTextFile(config, workerProperties(bootstrapServers));
  await Deno.writeTextFile(`${home}/log4j2.properties`, log4jConfig);
  const pid = await startDetached("connect", [
    "java",
    "-Xms128m",
    "-Xmx512m",
    "-XX:+UseG1GC",
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${home}/log4j2.properties`,
    "-cp",
    `${libs}/*`,
    "org.apache.kafka.connect.cli.ConnectDistributed",
    config,
  ]);
  console.log(`connect: started pid ${pid}, log ${logFile("connect")}`);
  await waitUntilReady("connect", answers, 180_000);
  return pid;
}
