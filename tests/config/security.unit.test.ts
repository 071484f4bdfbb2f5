/**
 * The security configuration without a broker: options and environment
 * mapped to librdkafka properties, PLAIN over plaintext refused, host-name
 * checks on by default and a warning when turned off, secrets hidden.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Connection } from "../../src/config/connection.ts";
import {
  checkKafkaSecurity,
  kafkaSecurityProperties,
  redactProperties,
} from "../../src/config/security.ts";
import { ConfigError } from "../../src/errors.ts";
import { createTransport } from "../../src/transport/select.ts";
import { test } from "node:test";

const noEnv = () => undefined;

test("the environment fills what options leave out; options win", () => {
  const env: Record<string, string> = {
    KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
    KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
    KAFKA_SASL_USERNAME: "env-user",
    KAFKA_SASL_PASSWORD: "env-password",
    KAFKA_SSL_CA_LOCATION: "/ca.pem",
    KAFKA_SSL_CERTIFICATE_LOCATION: "/client.pem",
    KAFKA_SSL_KEY_LOCATION: "/client.key",
    KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: "https://idp/token",
    KAFKA_SASL_OAUTHBEARER_CLIENT_ID: "app",
    KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: "oidc-secret",
  };
  const properties = kafkaSecurityProperties({ saslUsername: "option-user" }, (n) => env[n]);
  assert.deepEqual(properties, {
    "security.protocol": "SASL_SSL",
    "sasl.mechanisms": "SCRAM-SHA-512",
    "sasl.username": "option-user",
    "sasl.password": "env-password",
    "ssl.ca.location": "/ca.pem",
    "ssl.certificate.location": "/client.pem",
    "ssl.key.location": "/client.key",
    "sasl.oauthbearer.token.endpoint.url": "https://idp/token",
    "sasl.oauthbearer.client.id": "app",
    "sasl.oauthbearer.client.secret": "oidc-secret",
    "sasl.oauthbearer.method": "oidc",
  });
});

test("a SASL mechanism without a protocol means SASL_SSL, with host names checked", () => {
  const properties = checkKafkaSecurity(
    kafkaSecurityProperties(
      { saslMechanism: "PLAIN", saslUsername: "u", saslPassword: "p" },
      noEnv,
    ),
    false,
  );
  assert.equal(properties["security.protocol"], "SASL_SSL");
  assert.equal(properties["ssl.endpoint.identification.algorithm"], "https");
});

test("SASL PLAIN over SASL_PLAINTEXT is a ConfigError unless allowed by name", () => {
  const options = {
    bootstrapServers: "127.0.0.1:9092",
    securityProtocol: "SASL_PLAINTEXT",
    saslMechanism: "PLAIN",
    saslUsername: "u",
    saslPassword: "plain-secret-4711",
  };
  assert.throws(() => new Connection(options), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /SASL_SSL/);
    assert.match(error.message, /allowPlaintextSasl/);
    assert.ok(!error.message.includes("plain-secret-4711"));
    return true;
  });
  // Raw librdkafka properties are checked too.
  assert.throws(
    () =>
      new Connection({
        kafka: { "security.protocol": "sasl_plaintext", "sasl.mechanisms": "OAUTHBEARER" },
      }),
    ConfigError,
  );
  const allowed = new Connection({ ...options, allowPlaintextSasl: true });
  assert.equal(allowed.kafkaProperties()["security.protocol"], "SASL_PLAINTEXT");
  // SCRAM never sends the password itself.
  new Connection({ ...options, saslMechanism: "SCRAM-SHA-256" });
});

test("turning certificate or host-name checks off is done by name and warns once", () => {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    for (let i = 0; i < 2; i++) {
      const properties = new Connection({
        bootstrapServers: "127.0.0.1:9093",
        securityProtocol: "SSL",
        sslEndpointIdentification: false,
        sslCertificateVerification: false,
      }).kafkaProperties();
      assert.equal(properties["ssl.endpoint.identification.algorithm"], "none");
      assert.equal(properties["enable.ssl.certificate.verification"], false);
    }
  } finally {
    console.warn = original;
  }
  assert.equal(warnings.filter((w) => w.includes("host-name verification is off")).length, 1);
  assert.equal(warnings.filter((w) => w.includes("certificate verification is off")).length, 1);
});

test("no secret shows in a connection's string, JSON or inspection, nor in redacted properties", () => {
  const connection = new Connection({
    bootstrapServers: "127.0.0.1:9092",
    saslMechanism: "SCRAM-SHA-256",
    saslUsername: "u",
    saslPassword: "scram-secret-0815",
    oauthClientSecret: "oidc-secret-0815",
    sslKeyPassword: "key-secret-0815",
    schemaRegistryUrl: "https://registry:8081",
    schemaRegistryBasicAuthUserInfo: "u:registry-secret-0815",
    schemaRegistryBearerToken: "token-secret-0815",
  });
  const shown = [
    String(connection),
    JSON.stringify(connection),
    inspect(connection),
    JSON.stringify(redactProperties(connection.kafkaProperties())),
  ].join("\n");
  assert.ok(!/secret-0815/.test(shown), shown);
  assert.equal(connection.kafkaProperties()["sasl.password"], "scram-secret-0815");
  assert.equal(redactProperties({ "sasl.username": "u" })["sasl.username"], "u");
});

test("a refused secret-looking property is reported without its value", async () => {
  const transport = await createTransport({
    bootstrapServers: "127.0.0.1:1",
    properties: { "no.such.password": "refused-secret-0815" },
  });
  try {
    const error = await transport.producer().then(() => undefined, (e) => e);
    assert.ok(error instanceof Error, "the producer was created");
    assert.ok(!inspect(error).includes("refused-secret-0815"), inspect(error));
  } finally {
    await transport.close();
  }
});
