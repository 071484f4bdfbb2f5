/**
 * A small `fetch` over `node:https` for Node, enough for the registry client:
 * a method, headers, a text body, an abort signal, and the whole answer read
 * into a `Response`. It exists so that a custom CA and a client certificate
 * work on Node without adding undici as a dependency.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { Agent, request } from "node:https";
import type { TlsMaterial } from "./tls_fetch.ts";

/** A `fetch` whose HTTPS requests trust `material.ca` and present its certificate. */
export function nodeHttpsFetch(material: TlsMaterial): typeof fetch {
  const agent = new Agent({
    ca: material.ca,
    cert: material.cert,
    key: material.key,
    keepAlive: true,
  });
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== "https:") return fetch(input, init);
    return new Promise<Response>((resolve, reject) => {
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req = request(url, {
        method: init?.method ?? "GET",
        headers,
        agent,
        signal: init?.signal ?? undefined,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 502;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of [value].flat()) if (one !== undefined) answer.append(name, one);
          }
          resolve(new Response(body, { status, statusText: res.statusMessage, headers: answer }));
        });
      });
      req.on("error", reject);
      req.end(typeof init?.body === "string" ? init.body : undefined);
    });
  };
}
