/**
 * How a connection reaches a Schema Registry behind TLS or authentication: a
 * custom CA, a client certificate (mTLS) and a bearer token, from options and
 * the environment. Basic auth stays where it was (`schemaRegistryBasicAuthUserInfo`).
 *
 * @module
 */
import { type RegistryTls, tlsFetch } from "../registry/tls_fetch.ts";

/** TLS and token settings of the registry; each wins over its environment variable. */
export interface RegistryTlsOptions {
  /** `SCHEMA_REGISTRY_SSL_CA_LOCATION`: PEM file of the CA that signed the registry's certificate. */
  readonly schemaRegistryCaLocation?: string;
  /** `SCHEMA_REGISTRY_SSL_CERTIFICATE_LOCATION`: PEM file of this client's certificate (mTLS). */
  readonly schemaRegistryCertificateLocation?: string;
  /** `SCHEMA_REGISTRY_SSL_KEY_LOCATION`: PEM file of this client's private key (mTLS). */
  readonly schemaRegistryKeyLocation?: string;
  /** `SCHEMA_REGISTRY_BEARER_TOKEN`: sent as `Authorization: Bearer ...`. Never logged. */
  readonly schemaRegistryBearerToken?: string;
}

/** What the registry client needs beyond its URL and basic auth. */
export interface RegistryAccess {
  /** The bearer token, if one is configured. */
  readonly bearerToken?: string;
  /** A `fetch` that trusts the CA and presents the client certificate, if TLS files are configured. */
  readonly fetch?: typeof fetch;
}

/** The token and TLS files, options over the environment (pure; files are not read). */
export function registryTlsSettings(
  options: RegistryTlsOptions,
  env: (name: string) => string | undefined,
): { readonly bearerToken?: string; readonly tls: RegistryTls } {
  const bearerToken = options.schemaRegistryBearerToken ?? env("SCHEMA_REGISTRY_BEARER_TOKEN");
  return {
    ...(bearerToken ? { bearerToken } : {}),
    tls: {
      caLocation: options.schemaRegistryCaLocation ?? env("SCHEMA_REGISTRY_SSL_CA_LOCATION"),
      certificateLocation: options.schemaRegistryCertificateLocation ??
        env("SCHEMA_REGISTRY_SSL_CERTIFICATE_LOCATION"),
      keyLocation: options.schemaRegistryKeyLocation ?? env("SCHEMA_REGISTRY_SSL_KEY_LOCATION"),
    },
  };
}

/** The registry client options for resolved token and TLS settings. */
export function accessFromSettings(
  settings: { readonly bearerToken?: string; readonly tls: RegistryTls },
): RegistryAccess {
  const { caLocation, certificateLocation, keyLocation } = settings.tls;
  const wantsTls = Boolean(caLocation || certificateLocation || keyLocation);
  return {
    ...(settings.bearerToken ? { bearerToken: settings.bearerToken } : {}),
    ...(wantsTls ? { fetch: tlsFetch(settings.tls) } : {}),
  };
}

/**
 * The registry client options for the TLS settings, the environment filling
 * what the options leave out. The files are read on the first request.
 *
 * @example
 * ```ts
 * import { registryAccess } from "@flowodm/flowodm";
 * const access = registryAccess({ schemaRegistryCaLocation: "/etc/ssl/registry-ca.pem" }, () => undefined);
 * console.log(typeof access.fetch); // "function"
 * ```
 */
export function registryAccess(
  options: RegistryTlsOptions,
  env: (name: string) => string | undefined,
): RegistryAccess {
  return accessFromSettings(registryTlsSettings(options, env));
}
