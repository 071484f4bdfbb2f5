/**
 * Registers the built-in registry schemes through the public hook:
 * `http:`/`https:` for the HTTP client and `mock:` for the in-process
 * registry. Imported for its effect by the modules that hand out connections
 * (src/config/connection.ts and mod.ts).
 *
 * @module
 */
import { registerRegistryScheme } from "../config/registry_schemes.ts";
import { SchemaRegistryClient } from "./client.ts";
import { MockSchemaRegistry } from "./mock_registry.ts";

const http = (
  url: string,
  access: { basicAuth?: string; bearerToken?: string; fetch?: typeof fetch },
) => new SchemaRegistryClient({ url, ...access });
registerRegistryScheme("http:", http);
registerRegistryScheme("https:", http);
registerRegistryScheme("mock:", (url) => new MockSchemaRegistry(url));
