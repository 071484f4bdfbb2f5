/**
 * Which registry client serves a URL, by its scheme. The built-in `http:`,
 * `https:` and `mock:` schemes are registered through the same hook a user
 * extends (src/registry/builtin_schemes.ts), so the connection knows no
 * registry implementation.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import type { RegistryAccess } from "./registry_tls.ts";

/** What a connection knows about reaching its registry, handed to the scheme's factory. */
export interface RegistryAccessSettings extends RegistryAccess {
  /** `user:password` for basic auth, if configured. */
  readonly basicAuth?: string;
}

/** Makes the registry client of a URL. */
export type RegistryFactory = (url: string, access: RegistryAccessSettings) => SchemaRegistry;

const factories = new Map<string, RegistryFactory>();

/**
 * Lets a module serve registry URLs of a scheme, as `mock://` does. The
 * factory gets the URL and the connection's credentials and TLS `fetch`.
 *
 * @example
 * ```ts
 * import { registerRegistryScheme, SchemaRegistryClient } from "@flowodm/flowodm";
 * registerRegistryScheme("proxy:", (url) => new SchemaRegistryClient({ url: url.replace("proxy:", "http:") }));
 * ```
 */
export function registerRegistryScheme(scheme: string, factory: RegistryFactory): void {
  factories.set(scheme.endsWith(":") ? scheme : `${scheme}:`, factory);
}

/** The registry client for `url`, from the factory registered for its scheme. */
export function registryForUrl(url: string, access: RegistryAccessSettings): SchemaRegistry {
  const scheme = url.slice(0, url.indexOf(":") + 1);
  const factory = factories.get(scheme);
  if (factory) return factory(url, access);
  const known = [...factories.keys()].map((s) => `${s}//`).join(", ") || "none registered";
  throw new ConfigError(`no Schema Registry client for "${url}": known schemes are ${known}`);
}
