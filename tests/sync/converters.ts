/** The converters the Debezium end-to-end test has Connect write with. */

/** JSON keys and values (with their schemas, as the JsonConverter writes them by default). */
export function converterConfig(): Promise<{ format: string; config: Record<string, string> }> {
  return Promise.resolve({
    format: "json",
    config: {
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    },
  });
}
