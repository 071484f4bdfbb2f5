/**
 * `flowodm delete-subject`: soft-deletes a subject, or removes it for good.
 * Asks for confirmation on a terminal; elsewhere `--yes` is required.
 *
 * @module
 */
import process from "node:process";
import { createInterface } from "node:readline/promises";
import { ConfigError, RegistryError } from "../../errors.ts";
import { type Command, required } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { explainMissing } from "../missing.ts";

async function confirmed(subject: string, permanent: boolean): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new ConfigError(
      `refusing to delete ${subject} without confirmation: pass --yes when running without a terminal`,
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `${permanent ? "Permanently delete" : "Delete"} ${subject}? Type its name to confirm: `,
    );
    return answer.trim() === subject;
  } finally {
    prompt.close();
  }
}

/** The `delete-subject` command. */
export const deleteSubject: Command = {
  name: "delete-subject",
  summary: "soft-delete a subject, or delete it permanently",
  synopsis: "--subject <subject> [--permanent] [--yes]",
  options: {
    subject: { type: "string", value: "<subject>", description: "the subject" },
    permanent: {
      type: "boolean",
      description: "remove it for good (soft-deleting it first if needed)",
    },
    yes: { type: "boolean", description: "do not ask for confirmation" },
  },
  async run({ output, registry }, values) {
    const subject = required(values, "subject", "delete-subject");
    const permanent = Boolean(values.permanent);
    if (!values.yes && !(await confirmed(subject, permanent))) {
      output.text("not deleted: the name typed did not match");
      return ExitCode.usage;
    }
    let versions: number[] = [];
    try {
      versions = await registry().deleteSubject(subject);
    } catch (error) {
      // Already soft-deleted (Confluent error 40404): a permanent delete may go on.
      if (!(permanent && error instanceof RegistryError && error.errorCode === 40404)) {
        throw explainMissing(error, subject);
      }
    }
    if (permanent) {
      versions = await registry().deleteSubject(subject, { permanent: true }).catch((error) => {
        throw explainMissing(error, subject);
      });
    }
    output.result({ command: "delete-subject", ok: true, subject, permanent, versions });
    output.text(
      `${permanent ? "permanently deleted" : "soft-deleted"} ${subject} (versions ${
        versions.join(", ") || "none"
      })${permanent ? "" : "; restore is possible until a --permanent delete"}`,
    );
    return ExitCode.ok;
  },
};
