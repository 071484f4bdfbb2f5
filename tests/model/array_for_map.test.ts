/**
 * Valibot's v.record takes an array and outputs {"0": ..., "1": ...}: a model
 * refuses an array where it has a map instead of writing it as that map.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { ValidationError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { arrayForMapFinder } from "../../src/model/array_for_map.ts";

const Scores = v.object({
  player: v.string(),
  points: v.record(v.string(), v.number()),
  rounds: v.array(v.object({ bonus: v.nullable(v.record(v.string(), v.number())) })),
  nested: v.optional(v.record(v.string(), v.record(v.string(), v.string()))),
});

test("arrayForMapFinder: the path of an array where a map is, through objects, arrays, wrappers and maps", () => {
  const find = arrayForMapFinder(Scores)!;
  const ok = { player: "p", points: { a: 1 }, rounds: [{ bonus: null }, { bonus: { x: 2 } }] };
  assert.equal(find(ok), undefined);
  assert.equal(find({ ...ok, points: [1, 2] }), "points");
  assert.equal(find({ ...ok, rounds: [{ bonus: null }, { bonus: [3] }] }), "rounds.1.bonus");
  assert.equal(find({ ...ok, nested: { outer: ["x"] } }), "nested.outer");
  assert.equal(find({ ...ok, points: new Uint8Array([1]) }), "points", "bytes too");
  assert.equal(arrayForMapFinder(v.record(v.string(), v.number()))!([1]), "");
  // No map, or one only inside a union (whose array branch may be the valid one): nothing to find.
  assert.equal(arrayForMapFinder(v.object({ a: v.array(v.string()) })), undefined);
  assert.equal(
    arrayForMapFinder(
      v.object({ u: v.union([v.array(v.number()), v.record(v.string(), v.number())]) }),
    ),
    undefined,
  );
});

test(
  "a model refuses an array for a map field with a ValidationError naming it, and still writes maps",
  {
    timeout: 60_000,
  },
  async () => {
    const Model = defineModel("ScoreCard", Scores, {
      topic: uniqueName("scores"),
      connection: new Connection({ schemaRegistryUrl: registryUrl() }),
    });
    const good = { player: "p", points: { a: 1 }, rounds: [{ bonus: { x: 2 } }] };
    assert.deepEqual(await Model.decode(await Model.encode(good)), good);
    const untyped: unknown = { ...good, rounds: [{ bonus: [5, 6] }] };
    await assert.rejects(
      Model.encode(untyped as typeof good),
      (e: unknown) =>
        e instanceof ValidationError && e.issues[0].path === "rounds.0.bonus" &&
        /Expected Object but received an array/.test(e.message),
    );
    await assert.rejects(
      Model.encodeMany([good, { ...good, points: [1] } as unknown as typeof good]),
      (e: unknown) => e instanceof ValidationError && e.issues[0].path === "points",
    );
  },
);
