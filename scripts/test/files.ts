/** Finds the test files a runtime runs, by the naming rule of scripts/test.ts. */

const runtimeSuffix = /\.(deno|node|bun)\.test\.ts$/;
const unitSuffix = /\.unit\.((deno|node|bun)\.)?test\.ts$/;

/**
 * Whether a test file needs no local stack: `x.unit.test.ts` (or
 * `x.unit.deno.test.ts` etc.) talks to no broker, registry or other server, so
 * a run that selects only such files starts none.
 */
export function isUnitTest(path: string): boolean {
  return unitSuffix.test(path);
}

/** Test files under `root` for `runtime`, sorted, keeping those containing a filter (if any). */
export async function testFilesFor(
  runtime: string,
  root: string,
  filters: readonly string[],
): Promise<string[]> {
  const files: string[] = [];
  for await (const path of walk(root)) {
    if (!path.endsWith(".test.ts")) continue;
    const only = path.match(runtimeSuffix)?.[1];
    if (only && only !== runtime) continue;
    if (filters.length > 0 && !filters.some((f) => path.includes(f))) continue;
    files.push(`./${path}`);
  }
  return files.sort();
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}
