import { conformanceSuite } from "./conformance.ts";
import { createTransport } from "../../src/transport/select.ts";
import { kafkaBootstrap } from "../harness.ts";

conformanceSuite(
  "ffi",
  (properties) => createTransport({ bootstrapServers: kafkaBootstrap(), properties }),
  ["deno", "bun"],
);
