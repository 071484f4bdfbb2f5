// Placeholder until the stack lands: uses configured servers or the defaults.
export function stackUp() {
  return Promise.resolve({
    bootstrapServers: Deno.env.get("KAFKA_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092",
    schemaRegistryUrl: Deno.env.get("SCHEMA_REGISTRY_URL") ?? "http://127.0.0.1:8081",
  });
}
