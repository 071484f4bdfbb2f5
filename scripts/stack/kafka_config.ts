/**
 * A KRaft node's configuration, runtime-neutral so that the stack (Deno) and
 * chaos tests on Node and Bun, which start nodes of their own on other ports,
 * write the same one.
 *
 * @module
 */

/** Where a node listens and keeps its data. */
export interface KafkaNodeLayout {
  /** The client (PLAINTEXT) port. */
  readonly port: number;
  /** The KRaft controller port. */
  readonly controllerPort: number;
  /** The log directory. */
  readonly dataDir: string;
}

/**
 * server.properties of a single-node cluster (broker and controller) bound
 * to 127.0.0.1. Topics are never auto-created, as in a careful production cluster.
 */
export function serverProperties({ port, controllerPort, dataDir }: KafkaNodeLayout): string {
  return `
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
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
}

/** log4j2 configuration: INFO to stdout. */
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

/** The JVM arguments that run a node from `libs` with `config` (small heap, G1 unless `jvmFlags` say otherwise). */
export function kafkaJavaArgs(
  libs: string,
  log4jFile: string,
  config: string,
  jvmFlags: readonly string[] = ["-XX:+UseG1GC"],
): string[] {
  return [
    "-Xms256m",
    "-Xmx512m",
    ...jvmFlags,
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4jFile}`,
    "-cp",
    `${libs}/*`,
    "kafka.Kafka",
    config,
  ];
}

/** The JVM arguments that format a node's storage once, for a new standalone cluster. */
export function formatJavaArgs(
  libs: string,
  clusterId: string,
  config: string,
  jvmFlags: readonly string[] = [],
): string[] {
  return [
    ...jvmFlags,
    "-cp",
    `${libs}/*`,
    "kafka.tools.StorageTool",
    "format",
    "--standalone",
    "-t",
    clusterId,
    "-c",
    config,
  ];
}

/**
 * The ApiVersions (v0) request a readiness probe sends; a node serving
 * requests answers with correlation id 7 and error code 0.
 */
export function apiVersionsRequest(): Uint8Array {
  const clientId = new TextEncoder().encode("flowodm-stack");
  const request = new DataView(new ArrayBuffer(4 + 10 + clientId.length));
  request.setInt32(0, 10 + clientId.length); // size
  request.setInt16(4, 18); // ApiVersions
  request.setInt16(6, 0); // version 0
  request.setInt32(8, 7); // correlation id
  request.setInt16(12, clientId.length);
  new Uint8Array(request.buffer).set(clientId, 14);
  return new Uint8Array(request.buffer);
}

/** Whether the first 10 bytes of an answer are a successful ApiVersions response. */
export function apiVersionsAnswered(head: Uint8Array): boolean {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return view.getInt32(4) === 7 && view.getInt16(8) === 0;
}
