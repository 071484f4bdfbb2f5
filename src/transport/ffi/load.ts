/**
 * Finds and opens `librdkafka.so.1`: the `librdkafkaPath` option, then
 * `FLOWODM_LIBRDKAFKA`, then the build inside `@confluentinc/kafka-javascript`
 * (searched from the working directory and from this module upwards, as
 * Node resolves packages), then the system's library.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../errors.ts";
import type { NativeLibrary, OpenLibrary } from "./native.ts";

const packagedLibrary = "node_modules/@confluentinc/kafka-javascript/build/deps/librdkafka.so.1";
const systemLibrary = "librdkafka.so.1";

const installHint = "Install librdkafka 2.x: `apt-get install librdkafka1` (Debian/Ubuntu), " +
  "`brew install librdkafka` (macOS), or `CKJS_LINKING=dynamic npm install " +
  "@confluentinc/kafka-javascript`; or point FLOWODM_LIBRDKAFKA or the librdkafkaPath " +
  "option at a librdkafka.so.1.";

/** Every `node_modules/...` location from `start` up to the filesystem root. */
function packagedCandidates(start: string): string[] {
  const found: string[] = [];
  for (let dir = resolve(start);; dir = dirname(dir)) {
    found.push(join(dir, packagedLibrary));
    if (dirname(dir) === dir) return found;
  }
}

function moduleDirectory(): string | undefined {
  const url = new URL(".", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : undefined;
}

/** Opens librdkafka from the first place that has it, or throws a ConfigError saying where it looked. */
export function loadLibrdkafka(open: OpenLibrary, explicitPath?: string): NativeLibrary {
  const chosen = explicitPath ?? process.env.FLOWODM_LIBRDKAFKA;
  if (chosen) {
    const source = explicitPath ? "the librdkafkaPath option" : "FLOWODM_LIBRDKAFKA";
    try {
      return open(chosen);
    } catch (cause) {
      throw new ConfigError(
        `librdkafka could not be loaded from ${chosen} (given by ${source}): ${
          (cause as Error).message
        }. ${installHint}`,
        { cause },
      );
    }
  }
  const moduleDir = moduleDirectory();
  const candidates = [
    ...new Set([
      ...packagedCandidates(process.cwd()),
      ...(moduleDir ? packagedCandidates(moduleDir) : []),
    ]),
  ];
  const tried: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      return open(path);
    } catch (cause) {
      tried.push(`${path} (${(cause as Error).message})`);
    }
  }
  try {
    return open(systemLibrary);
  } catch (cause) {
    tried.push(`${systemLibrary} from the system library path (${(cause as Error).message})`);
  }
  throw new ConfigError(
    `librdkafka was not found. Looked for the librdkafkaPath option, FLOWODM_LIBRDKAFKA, ` +
      `${packagedLibrary} in ${process.cwd()} and every parent folder` +
      `${moduleDir ? ` and from ${moduleDir} upwards` : ""}, and the system's ` +
      `${systemLibrary}. ${tried.length ? `Failed: ${tried.join("; ")}. ` : ""}${installHint}`,
  );
}
