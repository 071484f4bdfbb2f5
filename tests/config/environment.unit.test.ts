/**
 * Environment resolution without a process environment: every variable,
 * options over variables, empty variables as unset, and a ConfigError naming
 * the variable for a value that cannot be right.
 */
import assert from "node:assert/strict";
import { environmentVariables, resolveConnectionSettings } from "../../src/config/environment.ts";
import { ConfigError } from "../../src/errors.ts";
import { test } from "node:test";

const resolve = resolveConnectionSettings;

test("nothing set: localhost defaults, client id flowodm, 15 s to connect, no TLS", () => {
  const settings = resolve({}, {});
  assert.equal(settings.bootstrapServers, "localhost:9092");
  assert.equal(settings.schemaRegistryUrl, "http://localhost:8081");
  assert.equal(settings.connectTimeoutMs, 15_000);
  assert.deepEqual(settings.kafka, { "client.id": "flowodm" });
  assert.deepEqual(settings.registry, {
    tls: { caLocation: undefined, certificateLocation: undefined, keyLocation: undefined },
  });
  assert.deepEqual(settings.warnings, []);
});

test("every plain variable is read", () => {
  const settings = resolve({}, {
    KAFKA_BOOTSTRAP_SERVERS: "a:9092,b:9092",
    KAFKA_CLIENT_ID: "orders",
    KAFKA_CONNECT_TIMEOUT_MS: "2500",
    SCHEMA_REGISTRY_URL: "https://registry:8081/apis/ccompat/v7",
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: "user:pa:ss",
    SCHEMA_REGISTRY_BEARER_TOKEN: "tok",
    SCHEMA_REGISTRY_SSL_CA_LOCATION: "/reg-ca.pem",
    SCHEMA_REGISTRY_SSL_CERTIFICATE_LOCATION: "/reg-cert.pem",
    SCHEMA_REGISTRY_SSL_KEY_LOCATION: "/reg-key.pem",
  });
  assert.equal(settings.bootstrapServers, "a:9092,b:9092");
  assert.equal(settings.kafka["client.id"], "orders");
  assert.equal(settings.connectTimeoutMs, 2500);
  assert.equal(settings.schemaRegistryUrl, "https://registry:8081/apis/ccompat/v7");
  assert.deepEqual(settings.registry, {
    basicAuth: "user:pa:ss",
    bearerToken: "tok",
    tls: {
      caLocation: "/reg-ca.pem",
      certificateLocation: "/reg-cert.pem",
      keyLocation: "/reg-key.pem",
    },
  });
});

test("every Kafka security variable maps to its librdkafka property", () => {
  const settings = resolve({}, {
    KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
    KAFKA_SASL_MECHANISM: "scram-sha-256",
    KAFKA_SASL_USERNAME: "app",
    KAFKA_SASL_PASSWORD: "secret",
    KAFKA_SSL_CA_LOCATION: "/ca.pem",
    KAFKA_SSL_CERTIFICATE_LOCATION: "/cert.pem",
    KAFKA_SSL_KEY_LOCATION: "/key.pem",
    KAFKA_SSL_KEY_PASSWORD: "keypass",
    KAFKA_SSL_ENDPOINT_IDENTIFICATION: "none",
    KAFKA_SSL_CERTIFICATE_VERIFICATION: "false",
    KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: "https://idp/token",
    KAFKA_SASL_OAUTHBEARER_CLIENT_ID: "client",
    KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: "oidc",
    KAFKA_SASL_OAUTHBEARER_SCOPE: "kafka",
  });
  assert.deepEqual(settings.kafka, {
    "client.id": "flowodm",
    "security.protocol": "SASL_SSL",
    "sasl.mechanisms": "SCRAM-SHA-256",
    "sasl.username": "app",
    "sasl.password": "secret",
    "ssl.ca.location": "/ca.pem",
    "ssl.certificate.location": "/cert.pem",
    "ssl.key.location": "/key.pem",
    "ssl.key.password": "keypass",
    "ssl.endpoint.identification.algorithm": "none",
    "enable.ssl.certificate.verification": false,
    "sasl.oauthbearer.token.endpoint.url": "https://idp/token",
    "sasl.oauthbearer.method": "oidc",
    "sasl.oauthbearer.client.id": "client",
    "sasl.oauthbearer.client.secret": "oidc",
    "sasl.oauthbearer.scope": "kafka",
  });
  // The weakened checks are reported, not printed: resolution stays pure.
  assert.deepEqual(settings.warnings.map((w) => w.key), ["host-check", "cert-check"]);
});

test("KAFKA_ALLOW_PLAINTEXT_SASL decides whether PLAIN may go over SASL_PLAINTEXT", () => {
  const plain = {
    KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
    KAFKA_SASL_MECHANISM: "PLAIN",
    KAFKA_SASL_USERNAME: "u",
    KAFKA_SASL_PASSWORD: "p",
  };
  assert.throws(() => resolve({}, plain), ConfigError);
  const allowed = resolve({}, { ...plain, KAFKA_ALLOW_PLAINTEXT_SASL: "true" });
  assert.equal(allowed.kafka["security.protocol"], "SASL_PLAINTEXT");
  assert.deepEqual(allowed.warnings.map((w) => w.key), ["plaintext-sasl"]);
  assert.throws(
    () => resolve({ allowPlaintextSasl: false }, { ...plain, KAFKA_ALLOW_PLAINTEXT_SASL: "true" }),
    ConfigError,
  );
});

test("a mechanism without a protocol means SASL_SSL with host names checked", () => {
  const settings = resolve({}, { KAFKA_SASL_MECHANISM: "OAUTHBEARER" });
  assert.equal(settings.kafka["security.protocol"], "SASL_SSL");
  assert.equal(settings.kafka["ssl.endpoint.identification.algorithm"], "https");
});

test("explicit options win over every variable", () => {
  const env: Record<string, string> = {
    KAFKA_BOOTSTRAP_SERVERS: "env:9092",
    KAFKA_CLIENT_ID: "env-client",
    KAFKA_CONNECT_TIMEOUT_MS: "1000",
    KAFKA_SECURITY_PROTOCOL: "SSL",
    KAFKA_SASL_USERNAME: "env-user",
    KAFKA_SSL_CERTIFICATE_VERIFICATION: "false",
    SCHEMA_REGISTRY_URL: "http://env:8081",
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: "env:auth",
    SCHEMA_REGISTRY_BEARER_TOKEN: "env-token",
    SCHEMA_REGISTRY_SSL_CA_LOCATION: "/env-ca.pem",
  };
  const settings = resolve({
    bootstrapServers: "option:9092",
    clientId: "option-client",
    connectTimeoutMs: 3000,
    securityProtocol: "SASL_SSL",
    saslMechanism: "PLAIN",
    saslUsername: "option-user",
    sslCertificateVerification: true,
    schemaRegistryUrl: "http://option:8081",
    schemaRegistryBasicAuthUserInfo: "option:auth",
    schemaRegistryBearerToken: "option-token",
    schemaRegistryCaLocation: "/option-ca.pem",
  }, env);
  assert.equal(settings.bootstrapServers, "option:9092");
  assert.equal(settings.kafka["client.id"], "option-client");
  assert.equal(settings.connectTimeoutMs, 3000);
  assert.equal(settings.kafka["security.protocol"], "SASL_SSL");
  assert.equal(settings.kafka["sasl.username"], "option-user");
  assert.equal(settings.kafka["enable.ssl.certificate.verification"], undefined);
  assert.equal(settings.schemaRegistryUrl, "http://option:8081");
  assert.equal(settings.registry.basicAuth, "option:auth");
  assert.equal(settings.registry.bearerToken, "option-token");
  assert.equal(settings.registry.tls.caLocation, "/option-ca.pem");
});

test("raw kafka properties win over options and variables", () => {
  const settings = resolve(
    { clientId: "option", kafka: { "client.id": "raw", "security.protocol": "SSL" } },
    { KAFKA_SECURITY_PROTOCOL: "PLAINTEXT" },
  );
  assert.equal(settings.kafka["client.id"], "raw");
  assert.equal(settings.kafka["security.protocol"], "SSL");
});

test("memory:// gets the mock registry of its scope unless a registry is set", () => {
  assert.equal(resolve({ bootstrapServers: "memory://shop" }, {}).schemaRegistryUrl, "mock://shop");
  assert.equal(
    resolve({}, { KAFKA_BOOTSTRAP_SERVERS: "memory://" }).schemaRegistryUrl,
    "mock://default",
  );
  assert.equal(
    resolve({ bootstrapServers: "memory://shop" }, { SCHEMA_REGISTRY_URL: "http://r:8081" })
      .schemaRegistryUrl,
    "http://r:8081",
  );
});

test("an empty variable counts as unset", () => {
  const settings = resolve({}, {
    KAFKA_BOOTSTRAP_SERVERS: "",
    SCHEMA_REGISTRY_URL: "",
    KAFKA_CONNECT_TIMEOUT_MS: "",
    KAFKA_SECURITY_PROTOCOL: "",
    KAFKA_SSL_ENDPOINT_IDENTIFICATION: "",
  });
  assert.equal(settings.bootstrapServers, "localhost:9092");
  assert.equal(settings.schemaRegistryUrl, "http://localhost:8081");
  assert.equal(settings.connectTimeoutMs, 15_000);
  assert.deepEqual(settings.kafka, { "client.id": "flowodm" });
});

/** Asserts a ConfigError whose message contains `named`. */
function refused(named: string, body: () => unknown): void {
  assert.throws(body, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${error}`);
    assert.match(error.message, new RegExp(named));
    return true;
  });
}

test("values that cannot be right are ConfigErrors naming the variable or option", () => {
  refused("KAFKA_CONNECT_TIMEOUT_MS=soon", () => resolve({}, { KAFKA_CONNECT_TIMEOUT_MS: "soon" }));
  refused("KAFKA_CONNECT_TIMEOUT_MS=-5", () => resolve({}, { KAFKA_CONNECT_TIMEOUT_MS: "-5" }));
  refused("got 0", () => resolve({ connectTimeoutMs: 0 }, {}));
  refused("got NaN", () => resolve({ connectTimeoutMs: NaN }, {}));
  refused('KAFKA_SECURITY_PROTOCOL "TLS"', () => resolve({}, { KAFKA_SECURITY_PROTOCOL: "TLS" }));
  refused('securityProtocol "ssl2"', () => resolve({ securityProtocol: "ssl2" }, {}));
  refused('KAFKA_SASL_MECHANISM "SCRAM"', () => resolve({}, { KAFKA_SASL_MECHANISM: "SCRAM" }));
  refused(
    "KAFKA_SSL_ENDPOINT_IDENTIFICATION",
    () => resolve({}, { KAFKA_SSL_ENDPOINT_IDENTIFICATION: "maybe" }),
  );
  refused(
    "KAFKA_SSL_CERTIFICATE_VERIFICATION",
    () => resolve({}, { KAFKA_SSL_CERTIFICATE_VERIFICATION: "strict" }),
  );
  refused("KAFKA_ALLOW_PLAINTEXT_SASL", () => resolve({}, { KAFKA_ALLOW_PLAINTEXT_SASL: "sure" }));
  refused(
    "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
    () => resolve({}, { SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: "just-a-user" }),
  );
  refused(
    "schemaRegistryBasicAuthUserInfo",
    () => resolve({ schemaRegistryBasicAuthUserInfo: "nocolon" }, {}),
  );
  refused(
    'SCHEMA_REGISTRY_URL "localhost:8081"',
    () => resolve({}, { SCHEMA_REGISTRY_URL: "localhost:8081" }),
  );
  refused("schemaRegistryUrl", () => resolve({ schemaRegistryUrl: "registry" }, {}));
  refused("bootstrapServers is empty", () => resolve({ bootstrapServers: "" }, {}));
});

test("the variable list names exactly what resolution reads", () => {
  const read = new Set<string>();
  const spy = new Proxy({}, {
    get(_target, name) {
      if (typeof name === "string") read.add(name);
      return undefined;
    },
  });
  resolve({}, spy);
  assert.deepEqual([...read].sort(), [...environmentVariables].sort());
});
