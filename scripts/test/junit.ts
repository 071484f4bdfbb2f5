/** Counts outcomes in a JUnit XML report, as Deno, Node and Bun each write one. */

/** Outcomes of one run. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** The failed tests, so the run's last lines say what failed and why. */
  failures?: Failure[];
}

/** A failed test: its name and the first lines of what it threw. */
export interface Failure {
  name: string;
  reason: string;
}

/**
 * Classifies every `<testcase>` by what it contains: `<failure>` or `<error>`
 * is a failure, `<skipped>` a skip, nothing of those a pass. Suite-level
 * attributes are not trusted, since the three runtimes disagree on them.
 * Node reports a file that registered no test for it as a passing testcase
 * named by the file's path; that is no test, so it is not counted.
 */
export function countJUnit(xml: string): TestCounts {
  // A runtime that died mid-write leaves a report without its end: never read that as green.
  if (!/<\/testsuites>\s*$/.test(xml)) throw new Error("the JUnit report is incomplete");
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  // Node leaves ">" unescaped inside attribute values, so attributes are read quote-aware.
  const testcase = /<testcase\b((?:[^>"]|"[^"]*")*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(testcase)) {
    const body = match[3] ?? "";
    if (/<(failure|error)\b/.test(body)) {
      counts.failed++;
      counts.failures!.push({
        name: /\bname="([^"]*)"/.exec(match[1])?.[1] ?? "(unnamed)",
        reason: reasonOf(body),
      });
    } else if (/\bname="[^"]*\.test\.ts"/.test(match[1])) continue;
    else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

/** Lines of a failure kept in the summary: enough for the assertion and where it failed. */
const reasonLines = 10;

/**
 * The first lines of a `<failure>` or `<error>`: its text, or its message
 * attribute when it has none. A CI log often keeps only its last lines, so the
 * summary has to carry why a test failed, not only its name.
 */
function reasonOf(body: string): string {
  const element = /<(failure|error)\b((?:[^>"]|"[^"]*")*?)(\/>|>([\s\S]*?)<\/\1>)/.exec(body);
  const text = element?.[4]?.trim() || /\bmessage="([^"]*)"/.exec(element?.[2] ?? "")?.[1] || "";
  return unescapeXml(text)
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "")
    .slice(0, reasonLines)
    .map((line) => line.length > 200 ? `${line.slice(0, 200)}…` : line)
    .join("\n");
}

const namedEntities: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x?[0-9a-fA-F]+|lt|gt|quot|apos|amp);/g, (_, entity: string) => {
    if (!entity.startsWith("#")) return namedEntities[entity];
    const hex = entity.startsWith("#x");
    return String.fromCodePoint(parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10));
  });
}
