/**
 * Run as a child process by refusal.test.ts: tries each refused connection
 * (wrong passwords, an untrusted CA, a host-name mismatch, a client
 * certificate of another CA) and prints one JSON line per case with the
 * error's name and message and how long it took, plus every way a
 * connection describes itself. The parent searches all of stdout and stderr
 * for the secrets.
 */
import process from "node:process";
import { inspect } from "node:util";
import { Connection, type ConnectOptions } from "../../src/config/connection.ts";
import { secure } from "./secure_support.ts";

const [wrongPassword] = process.argv.slice(2);
const s = secure!;
const cases: Record<string, ConnectOptions> = {
  "scram-wrong-password": {
    bootstrapServers: s.saslSsl,
    saslMechanism: "SCRAM-SHA-256",
    saslUsername: s.users.scram256.username,
    saslPassword: wrongPassword,
    sslCaLocation: s.files.ca,
  },
  "plain-wrong-password": {
    bootstrapServers: s.saslSsl,
    saslMechanism: "PLAIN",
    saslUsername: s.users.plain.username,
    saslPassword: wrongPassword,
    sslCaLocation: s.files.ca,
  },
  "other-ca": {
    bootstrapServers: s.saslSsl,
    saslMechanism: "SCRAM-SHA-512",
    saslUsername: s.users.scram512.username,
    saslPassword: s.users.scram512.password,
    sslCaLocation: s.files.otherCa,
  },
  "host-mismatch": {
    // The broker's certificate names 127.0.0.1 only.
    bootstrapServers: s.ssl.replace("127.0.0.1", "localhost"),
    securityProtocol: "SSL",
    sslCaLocation: s.files.ca,
    sslCertificateLocation: s.files.clientCert,
    sslKeyLocation: s.files.clientKey,
    kafka: { "broker.address.family": "v4" },
  },
  "client-certificate-of-another-ca": {
    bootstrapServers: s.ssl,
    securityProtocol: "SSL",
    sslCaLocation: s.files.ca,
    sslCertificateLocation: s.files.otherClientCert,
    sslKeyLocation: s.files.otherClientKey,
  },
};

const mode = process.argv[3] ?? "producer";
for (const [name, options] of Object.entries(cases)) {
  const connection = new Connection(options);
  const started = Date.now();
  let error: Error | undefined;
  try {
    const transport = await connection.transport();
    if (mode === "producer") {
      const producer = await transport.producer();
      const [result] = await producer.send([
        { topic: "refused", key: null, value: new TextEncoder().encode("x") },
      ]);
      if (!result.ok) error = result.error;
    } else {
      const consumer = await transport.consumer({ groupId: "refused", fromBeginning: true });
      await consumer.subscribe(["refused"]);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) await consumer.poll(10, 500);
    }
  } catch (caught) {
    error = caught as Error;
  }
  const ms = Date.now() - started;
  console.log(JSON.stringify({
    case: name,
    ms,
    error: error?.name,
    message: error?.message,
    inspected: inspect(error),
    connection: [String(connection), JSON.stringify(connection), inspect(connection)],
  }));
}
// The parent ends this process here: Node's client would finish its own 30 s connect attempt first.
console.log(JSON.stringify("done"));
