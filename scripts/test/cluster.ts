/** The three-node cluster of the cluster suite, started once per test run. */
import { testFilesFor } from "./files.ts";

/**
 * Starts the cluster when a selected test file is in tests/cluster/ (unless
 * FLOWODM_CLUSTER_BOOTSTRAP names one), adds its address to `env` as
 * FLOWODM_CLUSTER_BOOTSTRAP, and returns what stops it again: nothing when the
 * cluster was already running or configured.
 */
export async function startClusterFor(
  runtimes: readonly string[],
  filters: readonly string[],
  env: Record<string, string>,
): Promise<() => Promise<void>> {
  const nothing = () => Promise.resolve();
  const files = await Promise.all(runtimes.map((r) => testFilesFor(r, "tests", filters)));
  if (!files.flat().some((file) => file.includes("/tests/cluster/"))) return nothing;
  const configured = Deno.env.get("FLOWODM_CLUSTER_BOOTSTRAP");
  if (configured) {
    console.log(`cluster: using FLOWODM_CLUSTER_BOOTSTRAP=${configured}`);
    env.FLOWODM_CLUSTER_BOOTSTRAP = configured;
    return nothing;
  }
  const { clusterPort, startCluster, stopCluster } = await import("../stack/cluster.ts");
  const { isListening } = await import("../stack/process.ts");
  const running = await isListening(clusterPort(1));
  env.FLOWODM_CLUSTER_BOOTSTRAP = await startCluster();
  return running ? nothing : stopCluster;
}
