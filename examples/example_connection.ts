/**
 * How every example connects. With no broker configured, the example (not the
 * library) chooses the in-process memory:// broker and mock:// registry, and
 * says so in its first line.
 */
import process from "node:process";
import { connect, type Connection } from "../mod.ts";

/** Connects from the environment, or in-process when KAFKA_BOOTSTRAP_SERVERS is unset. */
export function connectExample(): Connection {
  const inProcess = !process.env.KAFKA_BOOTSTRAP_SERVERS;
  const connection = connect(inProcess ? { bootstrapServers: "memory://" } : {});
  console.log(
    `kafka ${connection.bootstrapServers}, registry ${connection.schemaRegistryUrl}${
      inProcess ? " (in-process: KAFKA_BOOTSTRAP_SERVERS is not set)" : ""
    }`,
  );
  return connection;
}
