/**
 * Produce and consume against the secured broker (scripts/stack/secure_kafka.ts)
 * over every listener and mechanism, on each runtime's transport (native on
 * Node, ffi on Deno and Bun), configured through options and the environment.
 */
import assert from "node:assert/strict";
import { roundTrip, secure, skip, tokenEndpoint } from "./secure_support.ts";
import { test } from "../harness.ts";

const timeoutMs = 120_000;

test("SASL_SSL with PLAIN (Confluent Cloud style) produces and consumes", async () => {
  const { plain } = secure!.users;
  await roundTrip({
    bootstrapServers: secure!.saslSsl,
    securityProtocol: "SASL_SSL",
    saslMechanism: "PLAIN",
    saslUsername: plain.username,
    saslPassword: plain.password,
    sslCaLocation: secure!.files.ca,
  });
}, { skip, timeoutMs });

for (const [mechanism, user] of [["SCRAM-SHA-256", "scram256"], ["SCRAM-SHA-512", "scram512"]]) {
  test(`SASL_SSL with ${mechanism} (MSK style) produces and consumes`, async () => {
    const { username, password } = secure!.users[user as "scram256" | "scram512"];
    await roundTrip({
      bootstrapServers: secure!.saslSsl,
      saslMechanism: mechanism, // SASL_SSL is implied
      saslUsername: username,
      saslPassword: password,
      sslCaLocation: secure!.files.ca,
    });
  }, { skip, timeoutMs });
}

test("SSL with a client certificate (mTLS) produces and consumes", async () => {
  await roundTrip({
    bootstrapServers: secure!.ssl,
    securityProtocol: "SSL",
    sslCaLocation: secure!.files.ca,
    sslCertificateLocation: secure!.files.clientCert,
    sslKeyLocation: secure!.files.clientKey,
  });
}, { skip, timeoutMs });

test(
  "OAUTHBEARER through librdkafka's OIDC client-credentials flow, against the broker's JWKS validator",
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
  { skip, timeoutMs },
);
