/**
 * A `fetch` that trusts a custom CA and presents a client certificate, built
 * the way each runtime offers it: Deno's `Deno.createHttpClient`, Bun's
 * `fetch` `tls` option, and on Node an adapter over `node:https` (Node 20's
 * built-in fetch takes an undici dispatcher, but undici itself is not
 * importable there without adding it as a dependency).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.ts";
import { denoNamespace, runtime } from "../runtime.ts";

/** PEM files for TLS to the registry. */
export interface RegistryTls {
  /** CA certificate(s) to trust besides the system's. */
  readonly caLocation?: string;
  /** This client's certificate. */
  readonly certificateLocation?: string;
  /** This client's private key. */
  readonly keyLocation?: string;
}

/** The PEM texts of {@link RegistryTls}. */
export interface TlsMaterial {
  /** CA certificate(s). */
  readonly ca?: string;
  /** Client certificate. */
  readonly cert?: string;
  /** Client private key. */
  readonly key?: string;
}

async function pem(what: string, path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new ConfigError(
      `cannot read the registry's ${what} file ${path}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

async function runtimeFetch(tls: RegistryTls): Promise<typeof fetch> {
  if (Boolean(tls.certificateLocation) !== Boolean(tls.keyLocation)) {
    throw new ConfigError(
      "a registry client certificate needs both its certificate and its key file",
    );
  }
  const material: TlsMaterial = {
    ca: await pem("CA", tls.caLocation),
    cert: await pem("client certificate", tls.certificateLocation),
    key: await pem("client key", tls.keyLocation),
  };
  const deno = denoNamespace();
  if (deno) {
    const client = deno.createHttpClient({
      ...(material.ca ? { caCerts: [material.ca] } : {}),
      ...(material.cert && material.key ? { cert: material.cert, key: material.key } : {}),
    });
    return (input, init) => fetch(input, { ...init, client });
  }
  if (runtime === "bun") {
    const options = { tls: { ca: material.ca, cert: material.cert, key: material.key } };
    return (input, init) => fetch(input, { ...init, ...options } as RequestInit);
  }
  const node = "./node_https_fetch.ts";
  const { nodeHttpsFetch } = await import(node) as typeof import("./node_https_fetch.ts");
  return nodeHttpsFetch(material);
}

/**
 * A `fetch` for a registry behind TLS with a custom CA and/or a client
 * certificate; the files are read on the first request.
 *
 * @example
 * ```ts
 * import { SchemaRegistryClient, tlsFetch } from "@flowodm/flowodm";
 * const registry = new SchemaRegistryClient({
 *   url: "https://registry.internal:8443",
 *   fetch: tlsFetch({ caLocation: "/etc/ssl/internal-ca.pem" }),
 * });
 * console.log(registry.url);
 * ```
 */
export function tlsFetch(tls: RegistryTls): typeof fetch {
  let made: Promise<typeof fetch> | undefined;
  return async (input, init) => {
    made ??= runtimeFetch(tls).catch((error) => {
      made = undefined;
      throw error;
    });
    return await (await made)(input, init);
  };
}
