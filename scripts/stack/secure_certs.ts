/**
 * Throwaway TLS material for the secured test broker and registry, made with
 * openssl once per checkout: a CA, a server certificate for 127.0.0.1 only (so
 * that `localhost` is a host-name mismatch), a client certificate for mTLS,
 * and a second CA with its own client certificate that nobody trusts. Plus an
 * RSA key pair as JWKS for the broker's OAuth validator.
 */
import { runChecked } from "./process.ts";

/** Paths of the generated files. */
export interface SecureFiles {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** The server's key and certificate in one PEM file (Kafka's PEM keystore). */
  readonly serverKeystore: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly otherCa: string;
  readonly otherClientCert: string;
  readonly otherClientKey: string;
  /** Public keys the broker trusts for OAuth tokens. */
  readonly jwks: string;
  /** The private JWK tests sign tokens with. */
  readonly jwkPrivate: string;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function openssl(...args: string[]): Promise<void> {
  await runChecked("openssl", args);
}

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "60",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${dir}/${name}.key`,
    "-out",
    `${dir}/${name}.pem`,
  );
}

async function makeSigned(dir: string, ca: string, name: string, ext: string): Promise<void> {
  await openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${dir}/${name}.key`,
    "-out",
    `${dir}/${name}.csr`,
  );
  await Deno.writeTextFile(`${dir}/${name}.ext`, ext);
  await openssl(
    "x509",
    "-req",
    "-in",
    `${dir}/${name}.csr`,
    "-CA",
    `${dir}/${ca}.pem`,
    "-CAkey",
    `${dir}/${ca}.key`,
    "-CAcreateserial",
    "-days",
    "60",
    "-extfile",
    `${dir}/${name}.ext`,
    "-out",
    `${dir}/${name}.pem`,
  );
}

async function makeJwks(dir: string): Promise<void> {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const kid = "flowodm-test";
  const pub = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const priv = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const jwk = { kty: pub.kty, n: pub.n, e: pub.e, kid, alg: "RS256", use: "sig" };
  await Deno.writeTextFile(`${dir}/jwks.json`, JSON.stringify({ keys: [jwk] }));
  await Deno.writeTextFile(`${dir}/jwk-private.json`, JSON.stringify({ ...priv, kid }));
}

/** Generates the files once into `dir` and returns their paths. */
export async function ensureSecureFiles(dir: string): Promise<SecureFiles> {
  const files: SecureFiles = {
    dir,
    ca: `${dir}/test-ca.pem`,
    serverCert: `${dir}/server.pem`,
    serverKey: `${dir}/server.key`,
    serverKeystore: `${dir}/server-keystore.pem`,
    clientCert: `${dir}/client.pem`,
    clientKey: `${dir}/client.key`,
    otherCa: `${dir}/other-ca.pem`,
    otherClientCert: `${dir}/other-client.pem`,
    otherClientKey: `${dir}/other-client.key`,
    jwks: `${dir}/jwks.json`,
    jwkPrivate: `${dir}/jwk-private.json`,
  };
  if (await exists(`${dir}/.complete`)) return files;
  await Deno.mkdir(dir, { recursive: true });
  await makeCa(dir, "test-ca");
  await makeCa(dir, "other-ca");
  await makeSigned(dir, "test-ca", "server", "subjectAltName=IP:127.0.0.1\n");
  await makeSigned(dir, "test-ca", "client", "extendedKeyUsage=clientAuth\n");
  await makeSigned(dir, "other-ca", "other-client", "extendedKeyUsage=clientAuth\n");
  // Kafka's PEM keystore wants a PKCS#8 key followed by the certificate chain.
  const pkcs8 = await runChecked("openssl", [
    "pkcs8",
    "-topk8",
    "-nocrypt",
    "-in",
    files.serverKey,
  ]);
  const chain = await Deno.readTextFile(files.serverCert) + await Deno.readTextFile(files.ca);
  await Deno.writeTextFile(files.serverKeystore, pkcs8.trim() + "\n" + chain);
  await makeJwks(dir);
  await Deno.writeTextFile(`${dir}/.complete`, "");
  return files;
}
