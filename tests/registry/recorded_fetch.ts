/**
 * A `fetch` that plays back recorded registry answers, in order, for
 * behaviour the stack's Apicurio does not have (Confluent's verbose reasons,
 * READONLY enforcement, its error codes). It fails the test on any request it
 * was not told to expect, and `done()` checks that every answer was asked for.
 */
import assert from "node:assert/strict";

/** One request the client is expected to make and the answer it gets. */
export interface Exchange {
  /** e.g. `POST /compatibility/subjects/s/versions/latest?verbose=true` */
  readonly request: string;
  readonly status: number;
  readonly body: unknown;
  /** The JSON body the client must send, when it matters. */
  readonly sent?: unknown;
}

/** The base URL recorded exchanges are served at (never contacted). */
export const recordedUrl = "http://confluent.recorded:8081";

/** A fetch answering `exchanges` one after the other. */
export function recordedFetch(exchanges: readonly Exchange[]): {
  fetch: typeof fetch;
  done: () => void;
} {
  let next = 0;
  const play: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const request = `${init?.method ?? "GET"} ${url.pathname}${url.search}`;
    const exchange = exchanges[next++];
    assert.ok(exchange, `unexpected request after the recording ended: ${request}`);
    assert.equal(request, exchange.request, `request ${next}`);
    if (exchange.sent !== undefined) {
      assert.deepEqual(JSON.parse(String(init?.body)), exchange.sent, `body of ${request}`);
    }
    return Promise.resolve(
      new Response(JSON.stringify(exchange.body), {
        status: exchange.status,
        headers: { "Content-Type": "application/vnd.schemaregistry.v1+json" },
      }),
    );
  };
  return {
    fetch: play,
    done: () => assert.equal(next, exchanges.length, "every recorded answer was asked for"),
  };
}

/** Confluent's answer for a subject that does not exist. */
export const subjectNotFound = (subject: string): Exchange["body"] => ({
  error_code: 40401,
  message: `Subject '${subject}' not found.`,
});

/** Confluent's answer for a subject without a level of its own (GET /config/s). */
export const noSubjectLevel = (subject: string): Exchange["body"] => ({
  error_code: 40408,
  message: `Subject '${subject}' does not have subject-level compatibility configured`,
});
