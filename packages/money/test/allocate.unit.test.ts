import { fc, test } from "@fast-check/vitest";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import {
  type AllocationUnit,
  allocate,
  isNegative,
  parseSignedWire,
  sum,
  toSen,
  toWire,
} from "../src/index.js";
import { arbMoney, arbNonNegativeMoney } from "./arbitraries.js";

const w = parseSignedWire;
const wires = (parts: readonly { amount: Decimal }[]): string[] => parts.map((p) => toWire(p as never));

describe("allocate", () => {
  it("splits by largest remainder to the sen", () => {
    expect(wires(allocate(w("100.00"), [1n, 1n, 1n], { unit: "sen" }))).toEqual(["33.34", "33.33", "33.33"]);
    expect(wires(allocate(w("0.05"), [1n, 1n, 1n], { unit: "sen" }))).toEqual(["0.02", "0.02", "0.01"]);
    expect(wires(allocate(w("10.00"), ["70", "20", "10"], { unit: "sen" }))).toEqual([
      "7.00",
      "2.00",
      "1.00",
    ]);
  });

  it("splits whole rupiah, with the total's sen going to one part", () => {
    expect(wires(allocate(w("100.00"), [1n, 1n, 1n], { unit: "rupiah" }))).toEqual([
      "34.00",
      "33.00",
      "33.00",
    ]);
    expect(wires(allocate(w("100.50"), [1n, 1n, 1n], { unit: "rupiah" }))).toEqual([
      "34.00",
      "33.50",
      "33.00",
    ]);
    expect(wires(allocate(w("0.99"), [1n, 3n], { unit: "rupiah" }))).toEqual(["0.00", "0.99"]);
  });

  it("accepts decimal-string and Decimal weights, also from the global constructor", () => {
    expect(wires(allocate(w("1000.00"), ["12.5", new Decimal("37.5"), 50n], { unit: "rupiah" }))).toEqual([
      "125.00",
      "375.00",
      "500.00",
    ]);
  });

  it("gives nothing to zero weights, even when remainders tie", () => {
    expect(wires(allocate(w("5.50"), [0n, 1n], { unit: "rupiah" }))).toEqual(["0.00", "5.50"]);
    expect(wires(allocate(w("0.01"), [0n, 1n, 0n], { unit: "sen" }))).toEqual(["0.00", "0.01", "0.00"]);
  });

  it("negates every part of a negative total", () => {
    expect(wires(allocate(w("-100.00"), [1n, 1n, 1n], { unit: "sen" }))).toEqual([
      "-33.34",
      "-33.33",
      "-33.33",
    ]);
  });

  it("throws on no weights, negative or non-finite weights, and all-zero weights", () => {
    expect(() => allocate(w("1.00"), [], { unit: "sen" })).toThrow(RangeError);
    expect(() => allocate(w("1.00"), [1n, -1n], { unit: "sen" })).toThrow(RangeError);
    expect(() => allocate(w("1.00"), ["-0.5"], { unit: "sen" })).toThrow(RangeError);
    expect(() => allocate(w("1.00"), ["Infinity"], { unit: "sen" })).toThrow(RangeError);
    expect(() => allocate(w("1.00"), [new Decimal(Number.NaN)], { unit: "sen" })).toThrow(RangeError);
    expect(() => allocate(w("1.00"), [0n, "0", "0.00"], { unit: "sen" })).toThrow(RangeError);
  });

  const arbWeight = fc.oneof(
    fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.integer({ min: 0, max: 9999 }))
      .map(([whole, fraction]) => `${whole}.${fraction.toString().padStart(4, "0")}`),
  );
  const arbWeights = fc
    .array(arbWeight, { minLength: 1, maxLength: 30 })
    .filter((weights) => weights.some((weight) => BigInt(String(weight).replace(".", "")) > 0n));
  const arbUnit = fc.constantFrom<AllocationUnit>("sen", "rupiah");

  test.prop([arbNonNegativeMoney(), arbWeights, arbUnit])(
    "preserves the total and never gives a negative part",
    (total, weights, unit) => {
      const parts = allocate(total, weights, { unit });
      expect(parts).toHaveLength(weights.length);
      expect(toSen(sum(parts))).toBe(toSen(total));
      expect(parts.some(isNegative)).toBe(false);
      // At most one part carries sen when whole rupiah are handed out.
      if (unit === "rupiah")
        expect(parts.filter((p) => toSen(p) % 100n !== 0n).length).toBeLessThanOrEqual(1);
    },
  );

  test.prop([arbMoney(), arbWeights, arbUnit])("preserves a total of any sign", (total, weights, unit) => {
    expect(toSen(sum(allocate(total, weights, { unit })))).toBe(toSen(total));
  });

  test.prop([arbNonNegativeMoney(), arbWeights])(
    "keeps every part within one unit of its exact share",
    (total, weights) => {
      const parts = allocate(total, weights, { unit: "sen" });
      const exactWeights = weights.map((weight) => new Decimal(String(weight)));
      const weightTotal = exactWeights.reduce((a, b) => a.plus(b), new Decimal(0));
      parts.forEach((part, index) => {
        const share = new Decimal(toSen(total).toString())
          .times(exactWeights[index] ?? 0)
          .dividedBy(weightTotal);
        expect(new Decimal(toSen(part).toString()).minus(share).abs().lessThan(1)).toBe(true);
      });
    },
  );
});
