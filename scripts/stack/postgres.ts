/**
 * PostgreSQL 15 for the Debezium end-to-end tests: Debian's server binaries
 * (`apt-get install postgresql-15`), a throwaway cluster made by `initdb` in a
 * temporary directory, `wal_level=logical` for the `pgoutput` plugin, on
 * 127.0.0.1:25432 only, trust authentication (a test database, never data).
 */
import {
  delay,
  isListening,
  logFile,
  runChecked,
  runningPid,
  stackHome,
  startDetached,
  waitUntilReady,
} from "./process.ts";

/** PostgreSQL's port. */
export const postgresPort = 25432;
/** The URL tests and examples connect with (any password is accepted). */
export const postgresUrl = `postgresql://postgres:postgres@127.0.0.1:${postgresPort}/postgres`;
const binDir = "/usr/lib/postgresql/15/bin";
const dataDirFile = `${stackHome}/postgres.datadir`;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** Installs Debian's PostgreSQL 15 server when its binaries are missing. */
async function ensureInstalled(): Promise<void> {
  if (await exists(`${binDir}/postgres`)) return;
  console.log("postgres: apt-get install postgresql-15");
  const root = Deno.uid() === 0 ? [] : ["sudo"];
  const apt = async (args: string[]) => {
    const [cmd, ...rest] = [...root, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args];
    await runChecked(cmd, rest);
  };
  await apt(["update", "-qq"]);
  await apt(["install", "-y", "-qq", "--no-install-recommends", "postgresql-15"]);
}

/** PostgreSQL refuses to run as root: run it as the `postgres` user the Debian package made. */
function asServerUser(command: string[]): string[] {
  if (Deno.uid() !== 0) return command;
  return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", ...command];
}

/** A running server answers `SELECT 1`. */
async function answers(): Promise<boolean> {
  const { code } = await new Deno.Command("psql", {
    args: [postgresUrl, "-Atqc", "select 1"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ code: 1 }));
  return code === 0;
}

/** Starts PostgreSQL unless something already listens on its port; returns the pid it started. */
export async function startPostgres(): Promise<number | undefined> {
  if (await isListening(postgresPort)) {
    console.log(`postgres: already listening on 127.0.0.1:${postgresPort}`);
    await waitUntilReady("postgres", answers, 60_000);
    return undefined;
  }
  await ensureInstalled();
  const dir = await Deno.makeTempDir({ prefix: "flowodm-postgres-" });
  await Deno.chmod(dir, 0o755);
  const data = `${dir}/data`;
  if (Deno.uid() === 0) await runChecked("chown", ["postgres:postgres", dir]);
  await runChecked(
    asServerUser([`${binDir}/initdb`])[0],
    [
      ...asServerUser([`${binDir}/initdb`]).slice(1),
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "--encoding=UTF8",
      "--no-sync",
    ],
  );
  await Deno.mkdir(stackHome, { recursive: true });
  await Deno.writeTextFile(dataDirFile, `${dir}\n`);
  const pid = await startDetached(
    "postgres",
    asServerUser([
      `${binDir}/postgres`,
      "-D",
      data,
      "-p",
      String(postgresPort),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "wal_level=logical",
      "-c",
      "max_wal_senders=20",
      "-c",
      "max_replication_slots=20",
      "-c",
      "fsync=off",
      "-c",
      "shared_buffers=32MB",
    ]),
  );
  console.log(`postgres: started pid ${pid} in ${dir}, log ${logFile("postgres")}`);
  await waitUntilReady("postgres", answers, 60_000);
  return pid;
}

/**
 * Stops the server this stack started with a fast shutdown (a plain SIGTERM
 * waits for Debezium's replication connection to close), then removes its
 * temporary directory.
 */
export async function stopPostgres(): Promise<boolean> {
  const pid = await runningPid("postgres");
  const dir = (await Deno.readTextFile(dataDirFile).catch(() => "")).trim();
  if (pid === undefined) return false;
  Deno.kill(pid, "SIGINT"); // PostgreSQL's fast shutdown
  for (let i = 0; i < 100 && await exists(`/proc/${pid}`); i++) await delay(200);
  if (await exists(`/proc/${pid}`)) Deno.kill(pid, "SIGKILL");
  await Deno.remove(`${stackHome}/pids/postgres.pid`).catch(() => {});
  if (dir.includes("flowodm-postgres-")) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  await Deno.remove(dataDirFile).catch(() => {});
  return true;
}
