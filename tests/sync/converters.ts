/**
 * The converters the Debezium end-to-end test has Connect write with: Avro in
 * the Confluent wire format through the stack's registry when it is Apicurio
 * (Apicurio's AvroConverter, on Connect's plugin path, registers the schemas
 * through Apicurio's own API and writes 4-byte content ids, which Apicurio's
 * Confluent API serves); JSON otherwise, since Confluent's AvroConverter is
 * not on Maven Central.
 */
import { registryUrl } from "../support.ts";

/** How Connect writes keys and values, and the config saying so. */
export interface Converters {
  readonly format: "avro" | "json";
  readonly config: Record<string, string>;
}

/** Avro through Apicurio when the registry URL is Apicurio's Confluent API, JSON otherwise. */
export function converterConfig(url = registryUrl()): Converters {
  const ccompat = /\/apis\/ccompat\/v\d+\/?$/;
  if (!ccompat.test(url)) {
    return {
      format: "json",
      config: {
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      },
    };
  }
  // The 2.6 converter speaks Apicurio's v2 API, which Apicurio 3 still serves.
  const api = `${url.replace(ccompat, "")}/apis/registry/v2`;
  const avro = (side: "key" | "value") => ({
    [`${side}.converter`]: "io.apicurio.registry.utils.converter.AvroConverter",
    [`${side}.converter.apicurio.registry.url`]: api,
    [`${side}.converter.apicurio.registry.auto-register`]: "true",
    [`${side}.converter.apicurio.registry.find-latest`]: "true",
    // Confluent's framing: magic byte 0 and a 4-byte id in the payload, not in headers;
    // the content id, which is what Apicurio's Confluent API calls a schema id.
    [`${side}.converter.apicurio.registry.as-confluent`]: "true",
    [`${side}.converter.apicurio.registry.headers.enabled`]: "false",
    [`${side}.converter.apicurio.registry.use-id`]: "contentId",
    // One topic carries several tables (ByLogicalTableRouter): one subject per record
    // name (Confluent's RecordNameStrategy), not one per topic that each table would break.
    [`${side}.converter.apicurio.registry.artifact-resolver-strategy`]:
      "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy",
  });
  return { format: "avro", config: { ...avro("key"), ...avro("value") } };
}
