import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  abs,
  add,
  compare,
  equals,
  fromDecimal,
  fromSen,
  isNegative,
  isPositive,
  isZero,
  money,
  negate,
  parseSignedWire,
  subtract,
  sum,
  toSen,
  toWire,
  zero,
} from "../src/index.js";
import { arbMoney } from "./arbitraries.js";

const w = parseSignedWire;

describe("arithmetic and comparison", () => {
  it("adds, subtracts, negates and takes absolute values exactly", () => {
    expect(toWire(add(w("0.10"), w("0.20")))).toBe("0.30");
    expect(toWire(subtract(w("100.00"), w("312500.13")))).toBe("-312400.13");
    expect(toWire(negate(w("1500.00")))).toBe("-1500.00");
    expect(toWire(negate(zero))).toBe("0.00");
    expect(toWire(abs(w("-1500.25")))).toBe("1500.25");
    expect(toWire(sum([w("999999999999999.99"), w("0.01"), w("-0.50")]))).toBe("999999999999999.50");
    expect(toWire(sum([]))).toBe("0.00");
  });

  it("compares and tests signs", () => {
    expect(compare(w("1.00"), w("2.00"))).toBe(-1);
    expect(compare(w("2.00"), w("1.00"))).toBe(1);
    expect(compare(w("1.5"), w("1.50"))).toBe(0);
    expect(equals(w("1.5"), w("1.50"))).toBe(true);
    expect(equals(w("1.51"), w("1.50"))).toBe(false);
    expect([isZero(zero), isPositive(zero), isNegative(zero)]).toEqual([true, false, false]);
    expect([isZero(w("-0.01")), isPositive(w("-0.01")), isNegative(w("-0.01"))]).toEqual([
      false,
      false,
      true,
    ]);
    expect([isZero(w("0.01")), isPositive(w("0.01")), isNegative(w("0.01"))]).toEqual([false, true, false]);
  });

  it("rounds to the sen only with a named mode", () => {
    expect(toWire(fromDecimal("0.125", "half_even"))).toBe("0.12");
    expect(toWire(fromDecimal("0.125", "half_up"))).toBe("0.13");
    expect(toWire(fromDecimal("-0.125", "half_up"))).toBe("-0.13");
    expect(toWire(fromDecimal("0.129", "down"))).toBe("0.12");
    expect(toWire(fromDecimal("-0.129", "down"))).toBe("-0.12");
  });

  it("refuses amounts too large for exact arithmetic instead of rounding them", () => {
    expect(() => fromSen(10n ** 40n)).toThrow(RangeError);
  });

  it("offers the same functions under the money namespace", () => {
    expect(money.add).toBe(add);
    expect(toSen(money.fromSen(5n))).toBe(5n);
    expect(money.zero).toBe(zero);
  });

  test.prop([arbMoney(), arbMoney(), arbMoney()])("addition is associative", (a, b, c) => {
    expect(equals(add(add(a, b), c), add(a, add(b, c)))).toBe(true);
  });

  test.prop([arbMoney(), arbMoney()])("addition is commutative and agrees with bigint sen", (a, b) => {
    expect(equals(add(a, b), add(b, a))).toBe(true);
    expect(toSen(add(a, b))).toBe(toSen(a) + toSen(b));
    expect(toSen(subtract(a, b))).toBe(toSen(a) - toSen(b));
  });

  test.prop([arbMoney(), arbMoney()])("compare agrees with bigint sen", (a, b) => {
    const x = toSen(a);
    const y = toSen(b);
    expect(compare(a, b)).toBe(x < y ? -1 : x > y ? 1 : 0);
  });

  test.prop([fc.array(arbMoney(), { maxLength: 20 })])("sum agrees with bigint sen", (ms) => {
    expect(toSen(sum(ms))).toBe(ms.reduce((total, m) => total + toSen(m), 0n));
  });
});
