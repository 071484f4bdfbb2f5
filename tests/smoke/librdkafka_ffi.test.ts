/** Deno and Bun reach librdkafka through FFI: load the library the npm build made and ask its version. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn, runtime } from "../support.ts";

const library = "node_modules/@confluentinc/kafka-javascript/build/deps/librdkafka.so.1";

async function librdkafkaVersion(): Promise<string> {
  if (runtime === "deno") {
    const lib = Deno.dlopen(library, {
      rd_kafka_version_str: { parameters: [], result: "pointer" },
    });
    try {
      return Deno.UnsafePointerView.getCString(lib.symbols.rd_kafka_version_str()!);
    } finally {
      lib.close();
    }
  }
  const bunFfiModule = "bun:ffi";
  const { dlopen, FFIType, CString } = await import(bunFfiModule);
  const lib = dlopen(library, { rd_kafka_version_str: { args: [], returns: FFIType.ptr } });
  try {
    return new CString(lib.symbols.rd_kafka_version_str()).toString();
  } finally {
    lib.close();
  }
}

if (runsOn(["deno", "bun"])) {
  test("librdkafka loads through FFI and reports its version", { timeout: 60_000 }, async () => {
    const version = await librdkafkaVersion();
    console.log(`librdkafka ${version} via ${runtime} FFI`);
    assert.match(version, /^\d+\.\d+\.\d+/);
  });
}
