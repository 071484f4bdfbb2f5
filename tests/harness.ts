/**
 * One way to declare a test that runs under Deno (`deno test`), Node
 * (`node --test` with tsx) and Bun (`bun test`), so the same file is the same
 * suite on every runtime. Assertions come from `node:assert/strict`, which all
 * three ship.
 */

/** The JavaScript runtime executing the tests. */
export type Runtime = "deno" | "node" | "bun";

/** The runtime this process is. */
export const runtime: Runtime = "Deno" in globalThis
  ? "deno"
  : "Bun" in globalThis
  ? "bun"
  : "node";

/** How a test is registered. */
export interface TestOptions {
  /** Runtimes the test belongs to; on others it is not registered at all. Default: all. */
  readonly runtimes?: readonly Runtime[];
  /** Milliseconds before the test fails. Default 60 000. */
  readonly timeoutMs?: number;
  /** A reason to skip: the test is registered and reported as skipped, never as passed. */
  readonly skip?: string | false;
}

type TestBody = () => void | Promise<void>;
type Register = (name: string, body: TestBody, options: TestOptions) => void;

// The module names are held in variables so that no runtime type-checks or
// resolves another runtime's test module.
const bunTestModule = "bun:test";
const nodeTestModule = "node:test";

async function loadRegister(): Promise<Register> {
  if (runtime === "deno") {
    return (name, body, options) =>
      Deno.test({
        name,
        ignore: Boolean(options.skip),
        // Kafka clients keep background threads and timers by design.
        sanitizeOps: false,
        sanitizeResources: false,
        fn: () => withTimeout(name, body, options.timeoutMs ?? 60_000),
      });
  }
  if (runtime === "bun") {
    const bun = await import(bunTestModule);
    return (name, body, options) => {
      if (options.skip) bun.test.skip(name, body);
      else bun.test(name, body, options.timeoutMs ?? 60_000);
    };
  }
  const node = await import(nodeTestModule);
  return (name, body, options) =>
    node.test(name, { skip: options.skip || false, timeout: options.timeoutMs ?? 60_000 }, body);
}

const register = await loadRegister();

async function withTimeout(name: string, body: TestBody, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test "${name}" timed out after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([body(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Declares a test.
 *
 * ```ts
 * test("encodes a value", async () => { assert.equal(1 + 1, 2); });
 * test("native transport", async () => { ... }, { runtimes: ["node"] });
 * ```
 */
export function test(name: string, body: TestBody, options: TestOptions = {}): void {
  if (options.runtimes && !options.runtimes.includes(runtime)) return;
  register(`${name} [${runtime}]`, body, options);
}

/** Reads an environment variable on any runtime. */
export function env(name: string): string | undefined {
  if (runtime === "deno") return Deno.env.get(name);
  return (globalThis as unknown as { process: { env: Record<string, string | undefined> } })
    .process.env[name];
}

/** The Kafka cluster the tests use (started by `deno task test` when none is configured). */
export function kafkaBootstrap(): string {
  return env("KAFKA_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092";
}

/** The Schema Registry the tests use. */
export function registryUrl(): string {
  return env("SCHEMA_REGISTRY_URL") ?? "http://127.0.0.1:8081/apis/ccompat/v7";
}

/** A name no other test run uses, for topics, groups and subjects. */
export function uniqueName(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${runtime}-${Date.now().toString(36)}-${random}`;
}
