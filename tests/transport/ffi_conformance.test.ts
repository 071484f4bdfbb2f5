import { conformanceSuite } from "./conformance.ts";
import { createTransport } from "../../src/transport/select.ts";
import { kafkaBootstrap } from "../support.ts";

conformanceSuite(
  "ffi",
  (options) => createTransport({ bootstrapServers: kafkaBootstrap(), ...options }),
  ["deno", "bun"],
);
