import { conformanceSuite } from "./conformance.ts";
import { createTransport } from "../../src/transport/select.ts";
import { kafkaBootstrap } from "../support.ts";

conformanceSuite(
  "ffi",
  (properties) => createTransport({ bootstrapServers: kafkaBootstrap(), properties }),
  ["deno", "bun"],
);
