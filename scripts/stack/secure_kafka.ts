/**
 * A second, secured Kafka node for the security tests, on 127.0.0.1:29092
 * (SASL_SSL: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER) and
 * 127.0.0.1:29093 (SSL requiring client certificates), from the same Maven
 * jars as the main node. Its throwaway certificates, users and passwords are
 * made on first start and described in `secure.json`, whose path tests get
 * through FLOWODM_SECURE_STACK.
 */
import { ensureSecureFiles, type SecureFiles } from "./secure_certs.ts";
import { kafkaAnswers, kafkaJars, log4jConfig } from "./kafka.ts";
import {
  isListening,
  logFile,
  runChecked,
  stackHome,
  startDetached,
  waitUntilReady,
} from "./process.ts";

/** The SASL_SSL listener's port. */
export const saslSslPort = 29092;
/** The mTLS listener's port. */
export const sslPort = 29093;
const controllerPort = 29094;
/** Plaintext, for the broker itself and readiness checks only. */
const internalPort = 29095;
const home = `${stackHome}/secure`;
/** The description tests read. */
export const secureDescription = `${home}/secure.json`;

/** What tests need to reach the secured node. */
export interface SecureStack {
  readonly saslSsl: string;
  readonly ssl: string;
  readonly files: SecureFiles;
  readonly users: {
    readonly plain: { username: string; password: string };
    readonly scram256: { username: string; password: string };
    readonly scram512: { username: string; password: string };
  };
  /** Set by the registry proxy when it runs. */
  readonly registry?: { https: string; mtls: string; username: string; password: string };
}

const secret = () => crypto.randomUUID().replaceAll("-", "");

const serverProperties = (dir: string, files: SecureFiles, stack: SecureStack) => `
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}
listeners=SASL_SSL://127.0.0.1:${saslSslPort},SSL://127.0.0.1:${sslPort},INTERNAL://127.0.0.1:${internalPort},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=SASL_SSL://127.0.0.1:${saslSslPort},SSL://127.0.0.1:${sslPort},INTERNAL://127.0.0.1:${internalPort}
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=SASL_SSL:SASL_SSL,SSL:SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
ssl.keystore.type=PEM
ssl.keystore.location=${files.serverKeystore}
ssl.truststore.type=PEM
ssl.truststore.location=${files.ca}
listener.name.ssl.ssl.client.auth=required
listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${stack.users.plain.username}="${stack.users.plain.password}";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;
listener.name.sasl_ssl.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler
listener.name.sasl_ssl.oauthbearer.sasl.oauthbearer.jwks.endpoint.url=file://${files.jwks}
log.dirs=${dir}
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
group.consumer.min.session.timeout.ms=1000
group.min.session.timeout.ms=1000
log.retention.hours=2
`;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** The users and files, made once and kept with the formatted storage. */
async function ensureDescription(): Promise<SecureStack> {
  const files = await ensureSecureFiles(`${home}/tls`);
  const known = await Deno.readTextFile(secureDescription).then(JSON.parse, () => undefined);
  if (known) return known as SecureStack;
  const stack: SecureStack = {
    saslSsl: `127.0.0.1:${saslSslPort}`,
    ssl: `127.0.0.1:${sslPort}`,
    files,
    users: {
      plain: { username: "alice", password: secret() },
      scram256: { username: "bob", password: secret() },
      scram512: { username: "carol", password: secret() },
    },
  };
  await Deno.writeTextFile(secureDescription, JSON.stringify(stack, null, 2));
  return stack;
}

async function ensureFormatted(libs: string, stack: SecureStack): Promise<string> {
  const config = `${home}/server.properties`;
  const data = `${home}/data`;
  await Deno.writeTextFile(config, serverProperties(data, stack.files, stack));
  await Deno.writeTextFile(`${home}/log4j2.yaml`, log4jConfig);
  if (!(await exists(`${data}/meta.properties`))) {
    const classpath = `${libs}/*`;
    const tool = ["-cp", classpath, "kafka.tools.StorageTool"];
    const clusterId = (await runChecked("java", [...tool, "random-uuid"])).trim().split("\n")
      .at(-1)!;
    const { scram256, scram512 } = stack.users;
    await runChecked("java", [
      ...tool,
      "format",
      "--standalone",
      "-t",
      clusterId,
      "-c",
      config,
      "--add-scram",
      `SCRAM-SHA-256=[name=${scram256.username},password=${scram256.password}]`,
      "--add-scram",
      `SCRAM-SHA-512=[name=${scram512.username},password=${scram512.password}]`,
    ]);
  }
  return config;
}

/** Starts the secured node unless it already listens; returns what tests need. */
export async function startSecureKafka(): Promise<SecureStack> {
  const started = Date.now();
  await Deno.mkdir(home, { recursive: true });
  const stack = await ensureDescription();
  if (!(await isListening(internalPort))) {
    const libs = await kafkaJars();
    const config = await ensureFormatted(libs, stack);
    const pid = await startDetached("secure-kafka", [
      "java",
      "-Xms128m",
      "-Xmx384m",
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      "-Djava.awt.headless=true",
      // Kafka 4 fetches OAuth keys only from URLs listed here.
      `-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=file://${stack.files.jwks}`,
      `-Dlog4j2.configurationFile=${home}/log4j2.yaml`,
      "-cp",
      `${libs}/*`,
      "kafka.Kafka",
      config,
    ]);
    console.log(`secure-kafka: started pid ${pid}, log ${logFile("secure-kafka")}`);
  }
  await waitUntilReady(
    "secure-kafka",
    async () =>
      await kafkaAnswers(internalPort) && await isListening(saslSslPort) &&
      await isListening(sslPort),
    120_000,
  );
  console.log(`secure-kafka: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return stack;
}
