/** Schemas of every kind the compiled reader supports, alone and nested, for the differential tests. */

const record = (name: string, fields: [string, unknown][]) => ({
  type: "record",
  name,
  fields: fields.map(([field, type]) => ({ name: field, type })),
});

const timestampMillis = { type: "long", logicalType: "timestamp-millis" };
const timestampMicros = { type: "long", logicalType: "timestamp-micros" };
const decimalBytes = { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 };
const decimalFixed = {
  type: "fixed",
  name: "Fee",
  size: 5,
  logicalType: "decimal",
  precision: 11,
  scale: 4,
};

/** Named schemas; every one is a record (a model's schema is) except the primitive roots. */
export const schemas: Record<string, unknown> = {
  "primitive roots: string": "string",
  "primitive roots: long": "long",
  "primitive roots: union": ["null", "double"],
  primitives: record("Primitives", [
    ["n", "null"],
    ["b", "boolean"],
    ["i", "int"],
    ["l", "long"],
    ["f", "float"],
    ["d", "double"],
    ["s", "string"],
    ["y", "bytes"],
    ["x", { type: "fixed", name: "Hash", size: 4 }],
    ["z", { type: "fixed", name: "Empty", size: 0 }],
    ["e", { type: "enum", name: "Status", symbols: ["NEW", "PAID", "SHIPPED"] }],
  ]),
  "exact longs": record("Ledger", [
    ["id", { type: "long", "flowodm.exactLong": true }],
    ["maybe", ["null", { type: "long", "flowodm.exactLong": true }]],
    ["many", { type: "array", items: { type: "long", "flowodm.exactLong": true } }],
    ["count", "long"],
  ]),
  "logical types": record("Logical", [
    ["at", timestampMillis],
    ["micros", timestampMicros],
    ["atInt", { type: "int", logicalType: "timestamp-millis" }],
    ["amount", decimalBytes],
    ["fee", decimalFixed],
    ["maybeAt", ["null", timestampMillis]],
    ["day", { type: "int", logicalType: "date" }],
    ["id", { type: "string", logicalType: "uuid" }],
    ["nanos", { type: "long", logicalType: "x-nanos" }],
    // Invalid decimal parameters: avsc falls back to the underlying bytes.
    ["badDecimal", { type: "bytes", logicalType: "decimal", precision: 0 }],
  ]),
  containers: record("Containers", [
    ["ints", { type: "array", items: "int" }],
    ["names", { type: "array", items: "string" }],
    ["blobs", { type: "array", items: "bytes" }],
    ["nulls", { type: "array", items: "null" }],
    ["byKey", { type: "map", values: "double" }],
    ["blobByKey", { type: "map", values: "bytes" }],
    ["grid", { type: "array", items: { type: "array", items: "long" } }],
    ["nested", { type: "map", values: { type: "array", items: ["null", "string"] } }],
  ]),
  unions: record("Unions", [
    ["optional", ["null", "string"]],
    ["nullLast", ["string", "null"]],
    ["scalars", ["null", "int", "string", "bytes", "boolean"]],
    ["numbers", ["int", "long", "double"]],
    ["strings", ["string", { type: "enum", name: "Kind", symbols: ["A", "B"] }]],
    ["blobs", ["null", "bytes", { type: "fixed", name: "Four", size: 4 }]],
    ["containers", ["null", { type: "map", values: "int" }, { type: "array", items: "string" }]],
    [
      "records",
      [
        "null",
        record("Card", [["last4", "string"], ["token", "bytes"]]),
        record("Cash", [["note", ["null", "string"]]]),
      ],
    ],
    ["optionalRecord", ["null", record("Address", [["city", "string"], ["zip", "bytes"]])]],
    ["dates", ["null", timestampMillis, "string"]],
  ]),
  // Unwrapped unions whose branches need the value adapter, next to every other kind.
  "adapted unions": record("AdaptedUnions", [
    ["mapOrArray", ["null", { type: "map", values: "bytes" }, { type: "array", items: "bytes" }]],
    ["recordOrBytes", ["null", record("Blob", [["data", "bytes"]]), "bytes"]],
    ["stringOrMap", ["string", { type: "map", values: "Blob" }]],
    ["numberOrArray", ["null", "double", "boolean", { type: "array", items: "Blob" }]],
    ["dateOrBlobs", ["null", timestampMillis, { type: "array", items: "bytes" }]],
    ["decimalOrMap", ["null", decimalBytes, { type: "map", values: "bytes" }]],
    ["fixedDecimalOrMap", [decimalFixed, "boolean", { type: "map", values: "bytes" }]],
  ]),
  "named references": {
    type: "record",
    name: "Shipment",
    namespace: "shop",
    fields: [
      { name: "from", type: record("Place", [["city", "string"], ["code", "bytes"]]) },
      { name: "to", type: "Place" },
      { name: "via", type: { type: "array", items: "shop.Place" } },
      { name: "hash", type: { type: "fixed", name: "Digest", size: 3 } },
      { name: "hashes", type: { type: "map", values: "Digest" } },
    ],
  },
  "recursive list": record("Node", [["value", "int"], ["label", "bytes"], ["next", [
    "null",
    "Node",
  ]]]),
  "recursive tree": record("Tree", [
    ["name", "string"],
    ["children", { type: "array", items: "Tree" }],
    ["byName", { type: "map", values: "Tree" }],
  ]),
  "empty record": record("Nothing", []),
  errors: { type: "error", name: "Failure", fields: [{ name: "code", type: "int" }] },
};
