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

test(
  "client set: closeAll waits for a close already under way",
  { timeout: 60_000 },
  async () => {
    const set = new ClientSet();
    let finish = () => {};
    let finished = false;
    const slow = set.track({
      close: () =>
        new Promise<void>((resolve) => finish = resolve).then(() => void (finished = true)),
    });
    const first = slow.close(); // as a producer closes itself after a fatal error
    assert.equal(set.size, 1, "a closing client is still tracked");
    let all = false;
    const closingAll = set.closeAll().then(() => void (all = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(all, false, "closeAll returned before the client's close ended");
    finish();
    await closingAll;
    await first;
    assert.equal(finished, true);
    assert.equal(set.size, 0);
  },
);
