/**
 * The worker's health endpoints over `node:http` (served the same way by
 * Deno, Bun and Node): `/livez`, `/readyz` and `/stats`, each one JSON
 * document. Bound to the loopback interface unless told otherwise.
 *
 * @module
 */
import { createServer, type Server } from "node:http";
import { ConfigError } from "../errors.ts";
import type { LoopReport } from "./types.ts";

/** What the endpoints read. */
export interface HealthSource {
  /** Every loop as the worker sees it now. */
  reports(): LoopReport[];
  /** True once the worker is stopping. */
  stopping(): boolean;
}

/** A listening health server. */
export interface HealthServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

function answer(source: HealthSource, path: string): { status: number; body: unknown } {
  const loops = source.reports();
  if (path === "/livez") {
    const stuck = loops.filter((loop) => loop.stuck).map((loop) => ({
      loop: loop.name,
      reason: loop.stuck,
    }));
    return stuck.length === 0
      ? { status: 200, body: { status: "live" } }
      : { status: 503, body: { status: "stuck", stuck } };
  }
  if (path === "/readyz") {
    const waiting = loops.filter((loop) => !loop.ready).map((loop) => ({
      loop: loop.name,
      state: loop.state,
    }));
    if (source.stopping()) return { status: 503, body: { status: "stopping", waiting } };
    return waiting.length === 0
      ? { status: 200, body: { status: "ready" } }
      : { status: 503, body: { status: "not ready", waiting } };
  }
  if (path === "/stats") return { status: 200, body: { loops } };
  return { status: 404, body: { error: `no ${path}: use /livez, /readyz or /stats` } };
}

/** Starts the server; rejects with a ConfigError naming the address when it cannot listen. */
export function serveHealth(
  address: { readonly port: number; readonly host?: string },
  source: HealthSource,
): Promise<HealthServer> {
  const host = address.host ?? "127.0.0.1";
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    let reply: { status: number; body: unknown };
    try {
      reply = answer(source, path);
    } catch (error) {
      reply = { status: 500, body: { error: String(error) } };
    }
    response.writeHead(reply.status, {
      "content-type": "application/json",
      "cache-control": "no-store",
      connection: "close",
    });
    response.end(`${JSON.stringify(reply.body)}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (cause) => {
      reject(
        new ConfigError(
          `the health server cannot listen on ${host}:${address.port}: ${cause.message}`,
          { cause },
        ),
      );
    });
    server.listen(address.port, host, () => {
      const bound = server.address();
      const port = typeof bound === "object" && bound ? bound.port : address.port;
      resolve({
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}
