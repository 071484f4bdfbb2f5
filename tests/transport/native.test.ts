import { conformanceSuite } from "./conformance.ts";
import { createTransport } from "../../src/transport/select.ts";
import { kafkaBootstrap } from "../support.ts";

conformanceSuite(
  "native",
  (properties) =>
    createTransport({ bootstrapServers: kafkaBootstrap(), transport: "native", properties }),
  ["node"],
);
