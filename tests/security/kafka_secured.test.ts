/**
 * Produce and consume against the secured broker (scripts/stack/secure_kafka.ts)
 * over every listener and mechanism, on each runtime's transport (native on
 * Node, ffi on Deno and Bun), configured through options and the environment.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { roundTrip, secure, skip, tokenEndpoint } from "./secure_support.ts";
import { test } from "node:test";

const timeoutMs = 120_000;

test("SASL_SSL with PLAIN (Confluent Cloud style) produces and consumes", {
  skip,
  timeout: timeoutMs,
}, async () => {
  const { plain } = secure!.users;
  await roundTrip({
    bootstrapServers: secure!.saslSsl,
    securityProtocol: "SASL_SSL",
    saslMechanism: "PLAIN",
    saslUsername: plain.username,
    saslPassword: plain.password,
    sslCaLocation: secure!.files.ca,
  });
});

for (const [mechanism, user] of [["SCRAM-SHA-256", "scram256"], ["SCRAM-SHA-512", "scram512"]]) {
  test(
    `SASL_SSL with ${mechanism} (MSK style) produces and consumes`,
    { skip, timeout: timeoutMs },
    async () => {
      const { username, password } = secure!.users[user as "scram256" | "scram512"];
      await roundTrip({
        bootstrapServers: secure!.saslSsl,
        saslMechanism: mechanism, // SASL_SSL is implied
        saslUsername: username,
        saslPassword: password,
        sslCaLocation: secure!.files.ca,
      });
    },
  );
}

test(
  "SSL with a client certificate (mTLS) produces and consumes",
  { skip, timeout: timeoutMs },
  async () => {
    await roundTrip({
      bootstrapServers: secure!.ssl,
      securityProtocol: "SSL",
      sslCaLocation: secure!.files.ca,
      sslCertificateLocation: secure!.files.clientCert,
      sslKeyLocation: secure!.files.clientKey,
    });
  },
);

test(
  "OAUTHBEARER through librdkafka's OIDC client-credentials flow, against the broker's JWKS validator",
  { skip, timeout: timeoutMs },
  async () => {
    const endpoint = await tokenEndpoint("flowodm-app", "oidc-test-secret-93c1");
    try {
      await roundTrip({
        bootstrapServers: secure!.saslSsl,
        saslMechanism: "OAUTHBEARER",
        sslCaLocation: secure!.files.ca,
        oauthTokenEndpointUrl: endpoint.url,
        oauthClientId: "flowodm-app",
        oauthClientSecret: "oidc-test-secret-93c1",
      });
      assert.ok(endpoint.requests() > 0, "the token endpoint was asked for a token");
    } finally {
      await endpoint.close();
    }
  },
);

test(
  "the KAFKA_* environment alone configures SCRAM over SASL_SSL",
  { skip, timeout: timeoutMs },
  async () => {
    const { username, password } = secure!.users.scram512;
    const variables: Record<string, string> = {
      KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
      KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
      KAFKA_SASL_USERNAME: username,
      KAFKA_SASL_PASSWORD: password,
      KAFKA_SSL_CA_LOCATION: secure!.files.ca,
    };
    const saved = Object.fromEntries(
      Object.keys(variables).map((name) => [name, process.env[name]]),
    );
    Object.assign(process.env, variables);
    try {
      await roundTrip({ bootstrapServers: secure!.saslSsl });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  },
);
