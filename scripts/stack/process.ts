/** Starting, finding and stopping the local stack's background processes. */

/** Where the stack keeps downloads, data, logs and pid files (git-ignored). */
export const stackHome = `${Deno.cwd()}/.flowodm/stack`;

/** The log file of a service. */
export function logFile(service: string): string {
  return `${stackHome}/logs/${service}.log`;
}

function pidFile(service: string): string {
  return `${stackHome}/pids/${service}.pid`;
}

/** True when something accepts TCP connections on the port. */
export async function isListening(port: number, host = "127.0.0.1"): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: host, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `command` detached from this process (it outlives the script), with
 * stdout and stderr appended to the service's log, and records its pid.
 */
export async function startDetached(service: string, command: string[]): Promise<number> {
  await Deno.mkdir(`${stackHome}/logs`, { recursive: true });
  await Deno.mkdir(`${stackHome}/pids`, { recursive: true });
  const quoted = command.map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
  const script = `nohup setsid ${quoted} >>'${logFile(service)}' 2>&1 </dev/null & echo $!`;
  const { stdout } = await new Deno.Command("bash", { args: ["-c", script], stdout: "piped" })
    .output();
  const pid = Number(new TextDecoder().decode(stdout).trim());
  await Deno.writeTextFile(pidFile(service), `${pid}\n`);
  return pid;
}

/** The pid this stack recorded for the service, if that process still runs. */
export async function runningPid(service: string): Promise<number | undefined> {
  const text = await Deno.readTextFile(pidFile(service)).catch(() => "");
  const pid = Number(text.trim());
  if (!pid) return undefined;
  try {
    await Deno.stat(`/proc/${pid}`);
    return pid;
  } catch {
    return undefined;
  }
}

/** Ends a service this stack started: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopService(service: string, graceMs = 15_000): Promise<boolean> {
  const pid = await runningPid(service);
  await Deno.remove(pidFile(service)).catch(() => {});
  if (pid === undefined) return false;
  Deno.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (await runningPid(service) === undefined && !(await exists(`/proc/${pid}`))) return true;
    await delay(200);
  }
  Deno.kill(pid, "SIGKILL");
  return true;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `ready` until it resolves true or the deadline passes; then throws an
 * error naming the log file, with its last lines.
 */
export async function waitUntilReady(
  service: string,
  ready: () => Promise<boolean>,
  deadlineMs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await ready()) return;
    await delay(250);
  }
  const log = await Deno.readTextFile(logFile(service)).catch(() => "(no log written)");
  const tail = log.trimEnd().split("\n").slice(-25).join("\n");
  throw new Error(
    `${service} was not ready after ${deadlineMs / 1000} s; see ${logFile(service)}:\n${tail}`,
  );
}

/** Runs a command to completion, failing with its output when it fails. */
export async function runChecked(command: string, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code}):\n${output}`);
  return output;
}

/**
 * Copies a pom's runtime dependencies from Maven Central into `libs` once; a
 * stamp holding the pom's text makes later runs (and pom changes) cheap to detect.
 */
export async function resolveJars(service: string, pom: string, libs: string): Promise<void> {
  const stamp = `${libs}/.complete`;
  const wanted = await Deno.readTextFile(pom);
  if (await Deno.readTextFile(stamp).catch(() => "") === wanted) return;
  console.log(`${service}: resolving jars from Maven Central`);
  await Deno.remove(libs, { recursive: true }).catch(() => {});
  await runChecked("mvn", [
    "-B",
    "-q",
    "-f",
    pom,
    "dependency:copy-dependencies",
    `-DoutputDirectory=${libs}`,
    "-DincludeScope=runtime",
  ]);
  await Deno.writeTextFile(stamp, wanted);
}
