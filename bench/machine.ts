/** What the benchmark ran on: CPU, cores, RAM, OS, runtimes, librdkafka. Deno. */
import { librdkafkaVersion } from "../ffi.ts";

async function output(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await new Deno.Command(command, {
      args,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const text = new TextDecoder().decode(stdout).trim() || new TextDecoder().decode(stderr).trim();
    return text.split("\n")[0];
  } catch {
    return "not installed";
  }
}

function field(text: string, pattern: RegExp): string {
  return text.match(pattern)?.[1]?.trim() ?? "unknown";
}

/** The machine description written next to the figures. */
export async function describeMachine(python: string) {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const meminfo = await Deno.readTextFile("/proc/meminfo").catch(() => "");
  const osRelease = await Deno.readTextFile("/etc/os-release").catch(() => "");
  const memKb = Number(field(meminfo, /MemTotal:\s+(\d+)/));
  return {
    cpu: field(cpuinfo, /model name\s*:\s*(.+)/),
    cores: navigator.hardwareConcurrency,
    ramGiB: Math.round(memKb / 1_048_576 * 10) / 10,
    os: `${field(osRelease, /PRETTY_NAME="?([^"\n]+)/)}, Linux ${Deno.osRelease()}`,
    loadAverage: Deno.loadavg().map((x) => x.toFixed(2)).join(" "),
    node: await output("node", ["--version"]),
    deno: Deno.version.deno,
    bun: await output("bun", ["--version"]),
    python: await output(python, ["--version"]),
    pythonFlowodm: await output(python, [
      "-c",
      "import importlib.metadata as m; print(m.version('flowodm'))",
    ]),
    librdkafka: await librdkafkaVersion(),
  };
}

/** The machine description's type. */
export type Machine = Awaited<ReturnType<typeof describeMachine>>;
