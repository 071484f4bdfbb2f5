/**
 * The registry the CLI talks to: `--registry-url` / `--registry-auth`, else
 * the environment, resolved by the library's {@link Connection} like every
 * model's. Credentials written into the URL move to basic auth so the URL
 * shown in messages carries none (fetch refuses such URLs anyway).
 *
 * @module
 */
import process from "node:process";
import { Connection } from "../config/connection.ts";
import { ConfigError } from "../errors.ts";
import type { RegistryTlsOptions } from "../config/registry_tls.ts";

/** The registry's TLS files and token from `--registry-ca/-cert/-key/-token` (the environment fills the rest). */
export function registryAccessOf(values: Record<string, unknown>): RegistryTlsOptions {
  const text = (name: string) => values[name] as string | undefined;
  return {
    schemaRegistryCaLocation: text("registry-ca"),
    schemaRegistryCertificateLocation: text("registry-cert"),
    schemaRegistryKeyLocation: text("registry-key"),
    schemaRegistryBearerToken: text("registry-token"),
  };
}

/** Builds the connection from the global options, or explains what is missing. */
export function cliConnection(
  options: { url?: string; auth?: string } & RegistryTlsOptions,
): Connection {
  // The environment is read here only to take credentials out of the URL; Connection
  // resolves everything else as it does for any model.
  const given = options.url ?? process.env.SCHEMA_REGISTRY_URL;
  if (!given) {
    throw new ConfigError(
      "no Schema Registry configured: pass --registry-url http://host:8081 or set SCHEMA_REGISTRY_URL",
    );
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new ConfigError(
      "the registry URL is not a valid URL: pass one like --registry-url http://localhost:8081",
    );
  }
  let auth = options.auth;
  if (url.username || url.password) {
    auth ??= `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    url.username = "";
    url.password = "";
  }
  return new Connection({
    schemaRegistryUrl: url.href.replace(/\/$/, ""),
    schemaRegistryBasicAuthUserInfo: auth,
    schemaRegistryCaLocation: options.schemaRegistryCaLocation,
    schemaRegistryCertificateLocation: options.schemaRegistryCertificateLocation,
    schemaRegistryKeyLocation: options.schemaRegistryKeyLocation,
    schemaRegistryBearerToken: options.schemaRegistryBearerToken,
  });
}
