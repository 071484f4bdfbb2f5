/**
 * `flowodm list-subjects`: subject names with their versions.
 *
 * @module
 */
import type { SchemaRegistry } from "../../registry/types.ts";
import { type Command, optional } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";

/** Runs `work` over the items, a few at a time, keeping their order. */
async function mapFew<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, items.length) }, worker));
  return results;
}

async function versionsOf(
  registry: SchemaRegistry,
  subject: string,
  deleted: boolean,
): Promise<{ live: number[]; deleted: number[] }> {
  const live = await registry.versions(subject).catch(() => [] as number[]);
  if (!deleted) return { live, deleted: [] };
  const all = await registry.versions(subject, { deleted: true });
  return { live, deleted: all.filter((version) => !live.includes(version)) };
}

/** The `list-subjects` command. */
export const listSubjects: Command = {
  name: "list-subjects",
  summary: "list subjects and their versions",
  synopsis: "[--prefix <prefix>] [--deleted]",
  options: {
    prefix: { type: "string", value: "<prefix>", description: "only subjects starting with it" },
    deleted: { type: "boolean", description: "include soft-deleted subjects and versions" },
  },
  async run({ output, registry }, values) {
    const prefix = optional(values, "prefix");
    const deleted = Boolean(values.deleted);
    const names = (await registry().subjects({ prefix, deleted }))
      .filter((name) => !prefix || name.startsWith(prefix))
      .sort();
    const subjects = await mapFew(names, async (subject) => {
      const versions = await versionsOf(registry(), subject, deleted);
      return {
        subject,
        versions: versions.live,
        deletedVersions: versions.deleted,
        deleted: versions.live.length === 0,
      };
    });
    output.result({ command: "list-subjects", ok: true, prefix: prefix ?? null, subjects });
    output.table(
      ["SUBJECT", "VERSIONS", "LATEST", ...(deleted ? ["DELETED"] : [])],
      subjects.map((s) => [
        s.subject,
        s.versions.length,
        s.versions.at(-1) ?? "-",
        ...(deleted ? [s.deletedVersions.length ? s.deletedVersions.join(",") : "-"] : []),
      ]),
    );
    if (subjects.length === 0) {
      output.text(prefix ? `no subject starts with ${prefix}` : "no subjects");
    }
    return ExitCode.ok;
  },
};
