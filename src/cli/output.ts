/**
 * Where the CLI's words go: human text (coloured only on a terminal) or one
 * stable JSON document on stdout with `--json`; errors on stderr. Every line
 * passes through a filter that masks the registry secret, so it can never be
 * printed, whatever an error message quotes.
 *
 * @module
 */
import process from "node:process";
import { type CellInput, formatTable } from "./table.ts";

/** How the user asked the output to look. */
export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Strings never to print (the registry credentials). */
  readonly secrets: readonly string[];
}

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const plain = (text: string) => text;

function colourful(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}

function write(
  stream: { write(text: string, done: () => void): unknown },
  text: string,
): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

/** The CLI's output channel. */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  #secrets: readonly string[];
  readonly #pending: Promise<void>[] = [];
  /** Colours for stdout; identity functions when stdout is not a terminal. */
  readonly paint: {
    bold: (text: string) => string;
    dim: (text: string) => string;
    green: (text: string) => string;
    yellow: (text: string) => string;
    red: (text: string) => string;
  };
  readonly #errorPaint: (text: string) => string;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.#secrets = options.secrets.filter((secret) => secret.length > 0);
    const on = colourful(process.stdout);
    this.paint = {
      bold: on ? ansi(1) : plain,
      dim: on ? ansi(2) : plain,
      green: on ? ansi(32) : plain,
      yellow: on ? ansi(33) : plain,
      red: on ? ansi(31) : plain,
    };
    this.#errorPaint = colourful(process.stderr) ? ansi(31) : plain;
  }

  /** Adds strings never to print (e.g. secrets of a connector config the command loaded). */
  addSecrets(secrets: readonly string[]): void {
    this.#secrets = [...this.#secrets, ...secrets.filter((secret) => secret.length > 0)];
  }

  /** Masks every secret in the text. */
  redact(text: string): string {
    let safe = text;
    for (const secret of this.#secrets) {
      safe = safe.replaceAll(secret, "***");
      // Basic auth travels base64-encoded: mask that form too.
      safe = safe.replaceAll(btoa(secret), "***");
    }
    return safe;
  }

  /** Human-readable text for stdout, unless `--json` or `--quiet`. */
  text(line: string): void {
    if (this.json || this.quiet) return;
    this.#pending.push(write(process.stdout, this.redact(line) + "\n"));
  }

  /** An aligned table on stdout, unless `--json` or `--quiet`. */
  table(headers: readonly string[], rows: readonly (readonly CellInput[])[]): void {
    if (rows.length === 0) return;
    this.text(formatTable(headers, rows, this.paint.bold));
  }

  /** Raw text that is the command's product (a schema, generated code): printed even with `--quiet`. */
  product(text: string): void {
    if (this.json) return;
    this.#pending.push(
      write(process.stdout, this.redact(text.endsWith("\n") ? text : text + "\n")),
    );
  }

  /** The command's result as one JSON document on stdout, with `--json` only. */
  result(value: unknown): void {
    if (!this.json) return;
    this.#pending.push(write(process.stdout, this.redact(JSON.stringify(value, null, 2)) + "\n"));
  }

  /** A warning on stderr (not in `--quiet` mode). */
  warn(line: string): void {
    if (this.quiet) return;
    this.#pending.push(write(process.stderr, this.redact(`warning: ${line}`) + "\n"));
  }

  /** An error on stderr; with `--json` also as a JSON document on stdout. */
  error(line: string, detail: Record<string, unknown>): void {
    this.#pending.push(
      write(process.stderr, this.#errorPaint(this.redact(`error: ${line}`)) + "\n"),
    );
    if (this.json) {
      this.#pending.push(
        write(process.stdout, this.redact(JSON.stringify({ error: detail }, null, 2)) + "\n"),
      );
    }
  }

  /** Resolves once everything written so far has been handed to the OS. */
  async flush(): Promise<void> {
    await Promise.all(this.#pending);
  }
}
