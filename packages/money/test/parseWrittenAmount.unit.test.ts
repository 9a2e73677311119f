import { test } from "@fast-check/vitest";
import * as fc from "fast-check";
import { isLeft, isRight } from "fp-ts/Either";
import { describe, expect, it } from "vitest";
import { formatRupiah, fromSen, parseWrittenAmount, toSen, toWire } from "../src/index.js";

const wireOf = (input: string): string => {
  const result = parseWrittenAmount(input);
  if (isLeft(result)) return `refused: ${result.left._tag}`;
  return toWire(result.right);
};

describe("parseWrittenAmount reads amounts as people type them", () => {
  it.each([
    ["50000", "50000.00"],
    ["50.000", "50000.00"],
    ["50.000,50", "50000.50"],
    ["50.000,5", "50000.50"],
    ["Rp50.000", "50000.00"],
    ["Rp 50.000,50", "50000.50"],
    ["rp.1.234.567,89", "1234567.89"],
    ["  7.500  ", "7500.00"],
    ["0,01", "0.01"],
    ["0", "0.00"],
    ["999.999.999.999.999,99", "999999999999999.99"],
  ])("%s is %s", (input, wire) => expect(wireOf(input)).toBe(wire));

  it.each([
    "",
    "Rp",
    "50.5",
    "50,000.00",
    "50.00",
    "5.0000",
    "-50.000",
    "50.000,505",
    "1e5",
    "50 000",
    "1.000.000.000.000.000",
  ])("%j is refused, never guessed", (input) => {
    expect(isLeft(parseWrittenAmount(input))).toBe(true);
  });

  test.prop([fc.bigInt({ min: 0n, max: 99_999_999_999_999_999n })])(
    "reads back exactly what formatRupiah writes, without and with sen",
    (sen) => {
      const amount = fromSen(sen);
      for (const withSen of [true, false]) {
        const parsed = parseWrittenAmount(formatRupiah(amount, { withSen }));
        expect(isRight(parsed) && toSen(parsed.right)).toBe(sen);
      }
    },
  );
});
