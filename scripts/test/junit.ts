/** Counts outcomes in a JUnit XML report, as Deno, Node and Bun each write one. */

/** Outcomes of one run. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Names of the failed tests, so the run's last lines say what failed. */
  failures?: string[];
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
      counts.failures!.push(/\bname="([^"]*)"/.exec(match[1])?.[1] ?? "(unnamed)");
    } else if (/\bname="[^"]*\.test\.ts"/.test(match[1])) continue;
    else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}
