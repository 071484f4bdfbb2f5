/**
 * The stack's Schema Registry behind a real TLS-terminating server with basic
 * auth: Debian's nginx on 127.0.0.1:29081 (HTTPS + basic auth),
 * 127.0.0.1:29082 (HTTPS + basic auth + client certificate required) and
 * 127.0.0.1:29083 (HTTPS + bearer token), all proxying to the registry the
 * tests use.
 */
import type { SecureFiles } from "./secure_certs.ts";
import {
  isListening,
  logFile,
  runChecked,
  stackHome,
  startDetached,
  stopService,
  waitUntilReady,
} from "./process.ts";

/** The HTTPS port with basic auth. */
export const httpsPort = 29081;
/** The HTTPS port with basic auth and a required client certificate. */
export const mtlsPort = 29082;
/** The HTTPS port with a bearer token. */
export const bearerPort = 29083;
const home = `${stackHome}/secure/nginx`;

/** How tests reach the proxied registry. */
export interface SecureRegistry {
  readonly https: string;
  readonly mtls: string;
  readonly username: string;
  readonly password: string;
  readonly bearer: string;
  readonly token: string;
}

const nginxConfig = (files: SecureFiles, upstream: string, token: string) => {
  const server = (port: number, access: "basic" | "mtls" | "bearer") => `
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${files.serverCert};
    ssl_certificate_key ${files.serverKey};
    ${access === "mtls" ? `ssl_client_certificate ${files.ca};\n    ssl_verify_client on;` : ""}
    ${
    access === "bearer"
      ? ""
      : `auth_basic "flowodm test registry";\n    auth_basic_user_file ${home}/htpasswd;`
  }
    location / {
      ${access === "bearer" ? `if ($http_authorization != "Bearer ${token}") { return 401; }` : ""}
      proxy_pass ${upstream}/;
      proxy_set_header Authorization "";
    }
  }`;
  return `daemon off;
master_process off;
worker_processes 1;
pid ${home}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${home}/tmp/body;
  proxy_temp_path ${home}/tmp/proxy;
  fastcgi_temp_path ${home}/tmp/fastcgi;
  uwsgi_temp_path ${home}/tmp/uwsgi;
  scgi_temp_path ${home}/tmp/scgi;
${server(httpsPort, "basic")}
${server(mtlsPort, "mtls")}
${server(bearerPort, "bearer")}
}
`;
};

/** True when nginx answers on the HTTPS port (401 without credentials). */
async function answers(ca: string): Promise<boolean> {
  try {
    const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(ca)] });
    const response = await fetch(`https://127.0.0.1:${httpsPort}/subjects`, { client });
    await response.body?.cancel();
    client.close();
    return response.status === 401;
  } catch {
    return false;
  }
}

/** Starts nginx in front of `upstream` unless it already listens; returns what tests need. */
export async function startSecureRegistry(
  files: SecureFiles,
  upstream: string,
): Promise<SecureRegistry> {
  await Deno.mkdir(`${home}/tmp`, { recursive: true });
  const userFile = `${home}/user.json`;
  let user = await Deno.readTextFile(userFile).then(JSON.parse, () => undefined) as
    | { username: string; password: string; token: string }
    | undefined;
  if (!user?.token) {
    const random = () => crypto.randomUUID().replaceAll("-", "");
    user = { username: "registry-user", password: random(), token: random() };
    await Deno.writeTextFile(userFile, JSON.stringify(user));
  }
  const target = upstream.replace(/\/+$/, "");
  const upstreamFile = `${home}/upstream`;
  if (
    await isListening(httpsPort) &&
    await Deno.readTextFile(upstreamFile).catch(() => "") !== `${target} ${bearerPort}`
  ) {
    await stopService("secure-registry"); // it proxies to another registry: restart it
  }
  if (!(await isListening(httpsPort))) {
    await Deno.writeTextFile(upstreamFile, `${target} ${bearerPort}`);
    const hash = (await runChecked("openssl", ["passwd", "-apr1", user.password])).trim();
    await Deno.writeTextFile(`${home}/htpasswd`, `${user.username}:${hash}\n`);
    await Deno.writeTextFile(
      `${home}/nginx.conf`,
      nginxConfig(files, target, user.token),
    );
    const pid = await startDetached("secure-registry", [
      "nginx",
      "-p",
      home,
      "-c",
      `${home}/nginx.conf`,
      "-e",
      "stderr",
    ]);
    console.log(`secure-registry: started nginx pid ${pid}, log ${logFile("secure-registry")}`);
  }
  await waitUntilReady("secure-registry", () => answers(files.ca), 30_000);
  return {
    https: `https://127.0.0.1:${httpsPort}`,
    mtls: `https://127.0.0.1:${mtlsPort}`,
    bearer: `https://127.0.0.1:${bearerPort}`,
    ...user,
  };
}
