/** The three-node cluster of the cluster suite, started once per test run. */
import { testFilesFor } from "./files.ts";

/**
 * Starts the cluster when a selected test file is in tests/cluster/ (unless
 * FLOWODM_CLUSTER_BOOTSTRAP names one), adds its address to `env` as
 * FLOWODM_CLUSTER_BOOTSTRAP, and returns what ends the cluster suite: it prints
 * the measurements its tests wrote to `reportFile` (time to recover,
 * duplicates, per runtime), then stops the cluster unless it was already
 * running or configured.
 */
export async function startClusterFor(
  runtimes: readonly string[],
  filters: readonly string[],
  env: Record<string, string>,
): Promise<() => Promise<void>> {
  const files = await Promise.all(runtimes.map((r) => testFilesFor(r, "tests", filters)));
  if (!files.flat().some((file) => file.includes("/tests/cluster/"))) {
    return () => Promise.resolve();
  }
  await Deno.remove(reportFile).catch(() => {});
  const printReport = async () => {
    const text = await Deno.readTextFile(reportFile).catch(() => "");
    if (text) console.log(`\n== cluster suite measurements\n${text.trimEnd()}`);
  };
  const configured = Deno.env.get("FLOWODM_CLUSTER_BOOTSTRAP");
  if (configured) {
    console.log(`cluster: using FLOWODM_CLUSTER_BOOTSTRAP=${configured}`);
    env.FLOWODM_CLUSTER_BOOTSTRAP = configured;
    return printReport;
  }
  const { clusterPort, startCluster, stopCluster } = await import("../stack/cluster.ts");
  const { isListening } = await import("../stack/process.ts");
  const running = await isListening(clusterPort(1));
  env.FLOWODM_CLUSTER_BOOTSTRAP = await startCluster();
  return async () => {
    await printReport();
    if (!running) await stopCluster();
  };
}

/** The file the cluster tests append their measurements to (tests/cluster/cluster_support.ts). */
const reportFile = ".flowodm/reports/cluster.txt";
