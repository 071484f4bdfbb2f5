/**
 * `flowodm set-compatibility`: the compatibility level of a subject or the
 * registry's global one.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import { type Command, levelOption, optional } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";

/** The `set-compatibility` command. */
export const setCompatibility: Command = {
  name: "set-compatibility",
  summary: "set the compatibility level of a subject, or the global one",
  synopsis: "--level <LEVEL> [--subject <subject>]",
  options: {
    level: {
      type: "string",
      value: "<LEVEL>",
      description:
        "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE",
    },
    subject: {
      type: "string",
      value: "<subject>",
      description: "the subject (default: the global level)",
    },
  },
  async run({ output, registry }, values) {
    const level = levelOption(values, "level");
    if (!level) {
      throw new ConfigError(
        "set-compatibility needs --level; see flowodm set-compatibility --help",
      );
    }
    const subject = optional(values, "subject");
    const previous = await registry().compatibility(subject).catch(() => undefined);
    await registry().setCompatibility(level, subject);
    output.result({
      command: "set-compatibility",
      ok: true,
      subject: subject ?? null,
      level,
      previous: previous ?? null,
    });
    output.text(
      `compatibility of ${subject ?? "the registry (global)"} set to ${output.paint.bold(level)}${
        previous ? ` (was ${previous})` : ""
      }`,
    );
    return ExitCode.ok;
  },
};
