/**
 * Every `flowodm` command, in the order `--help` lists them.
 *
 * @module
 */
import type { Command } from "../command.ts";
import { checkCompatibilityCommand } from "./check_compatibility.ts";
import { connectCommand } from "./connect.ts";
import { deleteSubject } from "./delete_subject.ts";
import { generate } from "./generate.ts";
import { getSchema } from "./get_schema.ts";
import { listSubjects } from "./list_subjects.ts";
import { register } from "./register.ts";
import { setCompatibility } from "./set_compatibility.ts";
import { uploadSchema } from "./upload_schema.ts";
import { validate } from "./validate.ts";
import { worker } from "./worker.ts";

/** The commands. */
export const commands: readonly Command[] = [
  validate,
  register,
  checkCompatibilityCommand,
  uploadSchema,
  listSubjects,
  getSchema,
  generate,
  setCompatibility,
  deleteSubject,
  worker,
  connectCommand,
];
