import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientSet } from "../../../src/transport/common/client_set.ts";

function client(name: string, closes: string[], fail = false) {
  return {
    close: () => {
      closes.push(name);
      return fail ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve();
    },
  };
}

test(
  "client set: closeAll closes each open client once, even after one fails",
  { timeout: 60_000 },
  async () => {
    const closes: string[] = [];
    const set = new ClientSet();
    const a = set.track(client("a", closes));
    set.track(client("b", closes, true));
    set.track(client("c", closes));
    await a.close();
    await a.close();
    assert.equal(set.size, 2);
    await assert.rejects(set.closeAll(), /b failed/);
    assert.deepEqual(closes.sort(), ["a", "b", "c"]);
    assert.equal(set.size, 0);
    await set.closeAll();
    assert.equal(closes.length, 3);
  },
);
