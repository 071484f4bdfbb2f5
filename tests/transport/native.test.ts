import { conformanceSuite } from "./conformance.ts";
import { createTransport } from "../../src/transport/select.ts";
import { kafkaBootstrap } from "../support.ts";

conformanceSuite(
  "native",
  (options) =>
    createTransport({ bootstrapServers: kafkaBootstrap(), transport: "native", ...options }),
  ["node"],
);
