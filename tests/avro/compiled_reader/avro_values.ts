/**
 * Seeded values of an avsc type, as avsc writes them (Buffers, wrapped union
 * branches), weighted towards edge values: int32 and 2^53 bounds, -0, NaN,
 * infinities, empty and 4-byte UTF-8 strings, empty arrays and maps.
 */
import { Buffer } from "node:buffer";
import type { AvscType } from "../../../src/avro/avsc_type.ts";
import { exactLong } from "../../../src/avro/exact_long.ts";

export { prng } from "../prng.ts";

const ints = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, 2 ** 31 - 1, -(2 ** 31)];
const longs = [
  ...ints,
  2 ** 52 - 1,
  -(2 ** 52) + 1,
  2 ** 52,
  -(2 ** 52),
  2 ** 52 + 1,
  -(2 ** 52) - 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2 ** 35 + 7,
];
const bigLongs = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 56n), 300n];
const doubles = [0, -0, NaN, Infinity, -Infinity, 1.5, Number.MIN_VALUE, Number.MAX_VALUE, -1e-300];
const strings = [
  "",
  "a",
  "v12345",
  "sku-4711",
  "exactly twenty-four char",
  "just past twenty-four chars",
  "héllo wörld",
  "😀",
  "日本語のテキスト",
  "ascii then 😀",
  "x".repeat(200),
  "\u0000\u007f",
];

/** Values of `type`; `depth` bounds recursion (unions then take a non-recursive branch first). */
export function valueOf(type: AvscType, random: () => number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const name = type.typeName;
  if (type === (exactLong as unknown)) {
    return random() < 0.6
      ? pick(bigLongs)
      : BigInt.asIntN(64, BigInt(Math.floor(random() * 2 ** 53)) << 11n);
  }
  switch (name) {
    case "null":
      return null;
    case "boolean":
      return random() < 0.5;
    case "int":
      return random() < 0.6 ? pick(ints) : Math.floor(random() * 2 ** 32) - 2 ** 31;
    case "long":
      return random() < 0.6 ? pick(longs) : Math.floor((random() - 0.5) * 2 ** 54);
    case "float":
      return random() < 0.6 ? pick(doubles) : Math.fround((random() - 0.5) * 1e6);
    case "double":
      return random() < 0.6 ? pick(doubles) : (random() - 0.5) * 1e12;
    case "string":
      return random() < 0.7 ? pick(strings) : randomText(random);
    case "bytes":
      return bytes(random, Math.floor(random() * 40));
    case "fixed":
      return bytes(random, type.size!);
    case "enum":
      return pick(type.symbols!);
    case "array": {
      const length = depth > 3 ? 0 : Math.floor(random() * 4);
      return Array.from({ length }, () => valueOf(type.itemsType!, random, depth + 1));
    }
    case "map": {
      const length = depth > 3 ? 0 : Math.floor(random() * 4);
      return Object.fromEntries(
        Array.from(
          { length },
          (_, i) => [`${pick(strings)}#${i}`, valueOf(type.valuesType!, random, depth + 1)],
        ),
      );
    }
    case "record":
    case "error":
      return Object.fromEntries(
        type.fields!.map((field) => [field.name, valueOf(field.type, random, depth + 1)]),
      );
    case "union:wrapped":
    case "union:unwrapped": {
      const branches = type.types!;
      const branch = depth > 3
        ? (branches.find((b) => b.typeName !== "record") ?? branches[0])
        : pick(branches);
      if (branch.typeName === "null") return null;
      const value = valueOf(branch, random, depth + 1);
      const branchName = (branch as unknown as { branchName: string }).branchName;
      return name === "union:wrapped" ? { [branchName]: value } : value;
    }
  }
  if (name === "logical:timestamp-millis" || name === "logical:timestamp-micros") {
    const range = type.underlyingType!.typeName === "int" ? 2 ** 31 : 4e12;
    return new Date(Math.floor((random() - 0.5) * range));
  }
  if (name === "logical:decimal") return decimalText(type, random);
  throw new Error(`no values for ${name}`);
}

function bytes(random: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

function randomText(random: () => number): string {
  const length = Math.floor(random() * 60);
  let out = "";
  for (let i = 0; i < length; i++) {
    const r = random();
    out += r < 0.8 ? String.fromCharCode(32 + Math.floor(random() * 95)) : String.fromCodePoint(
      r < 0.9 ? 0xa0 + Math.floor(random() * 0x700) : 0x1f600 + Math.floor(random() * 64),
    );
  }
  return out;
}

// A decimal the type takes: random digits and point, shortened until its precision and scale fit.
function decimalText(type: AvscType, random: () => number): string {
  const fits = (text: string) => {
    try {
      (type as unknown as { _toValue(value: unknown): unknown })._toValue(text);
      return true;
    } catch {
      return false;
    }
  };
  let digits = Array.from(
    { length: 1 + Math.floor(random() * 20) },
    () => Math.floor(random() * 10),
  )
    .join("");
  const sign = random() < 0.5 ? "-" : "";
  while (digits.length > 0) {
    for (let point = 0; point < Math.min(digits.length, 6); point++) {
      const whole = digits.slice(0, digits.length - point);
      const text = `${sign}${whole}${point ? `.${digits.slice(-point)}` : ""}`;
      if (fits(text)) return text;
    }
    digits = digits.slice(1);
  }
  return "0";
}
