/** Confluent's own schema registry client and Avro serde, as the interop tests use them. */
import { Agent } from "node:http";
import { registryUrl } from "../support.ts";

// A variable specifier keeps the devDependency out of the library's type check.
const confluentModule = "@confluentinc/schemaregistry";

/**
 * Confluent's module and a client of the test registry.
 *
 * Its requests are bounded: axios waits forever by default, so one request
 * the registry never answers would run into the test's own timeout (or hold a
 * Node run open) with nothing said of why. And each request has a connection
 * of its own: axios pools keep-alive sockets in the runtime's global agent,
 * where a socket another request left a timeout listener on, or the server
 * already closed, can be handed to the next request.
 */
export async function confluent() {
  const sr = await import(confluentModule);
  const client = new sr.SchemaRegistryClient({
    baseURLs: [registryUrl()],
    createAxiosDefaults: { timeout: 10_000, httpAgent: new Agent({ keepAlive: false }) },
  });
  return { sr, client };
}
