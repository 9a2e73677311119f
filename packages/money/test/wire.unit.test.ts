import { fc, test } from "@fast-check/vitest";
import { isRight } from "fp-ts/Either";
import { describe, expect, it } from "vitest";
import {
  abs,
  equals,
  fromSen,
  parseMoney,
  parseSignedWire,
  senToWire,
  toSen,
  toWire,
  wireToSen,
  wireToSenOrNull,
  zero,
} from "../src/index.js";
import { arbMoney, arbSen } from "./arbitraries.js";

describe("wire strings", () => {
  it.each([
    [123456750n, "1234567.50"],
    [-31250013n, "-312500.13"],
    [0n, "0.00"],
    [1n, "0.01"],
    [-1n, "-0.01"],
    [100n, "1.00"],
    [99999999999999999n, "999999999999999.99"],
  ])("senToWire(%s) is %s and toWire agrees", (sen, wire) => {
    expect(senToWire(sen)).toBe(wire);
    expect(toWire(fromSen(sen))).toBe(wire);
  });

  it("reads trusted signed strings, also with fewer fraction digits", () => {
    expect(wireToSen("-312500.13")).toBe(-31250013n);
    expect(wireToSen("50000.00")).toBe(5000000n);
    expect(wireToSen("50000.5")).toBe(5000050n);
    expect(wireToSen("50000")).toBe(5000000n);
    expect(wireToSen("-0.00")).toBe(0n);
    expect(toWire(parseSignedWire("-312500.13"))).toBe("-312500.13");
  });

  it.each([
    "",
    "1.234",
    "+1",
    "1e5",
    " 1",
    "abc",
    "1,5",
    "--1",
    ".5",
    "NaN",
    "-",
    "1.",
    "1..5",
    "1.5.",
    "-.5",
    "１",
  ])("throws on the malformed trusted string %j", (s) => {
    expect(wireToSenOrNull(s)).toBeNull();
    expect(() => wireToSen(s)).toThrow();
    expect(() => parseSignedWire(s)).toThrow();
  });

  it("never writes negative zero", () => {
    expect(toWire(parseSignedWire("-0.00"))).toBe("0.00");
    expect(toWire(fromSen(-0n))).toBe("0.00");
    expect(equals(parseSignedWire("-0.00"), zero)).toBe(true);
  });

  it("makes Money values immutable", () => {
    const m = fromSen(100n);
    expect(Object.isFrozen(m)).toBe(true);
    expect(() => {
      (m as { currency: string }).currency = "USD";
    }).toThrow();
  });

  test.prop([arbSen()])("toWire(fromSen(n)) read back with wireToSen gives n", (sen) => {
    expect(wireToSen(toWire(fromSen(sen)))).toBe(sen);
    expect(wireToSen(senToWire(sen))).toBe(sen);
    expect(toSen(fromSen(sen))).toBe(sen);
  });

  it("reads amounts on both sides of the fast path's 15 digits the same way", () => {
    expect(wireToSen("9999999999999.99")).toBe(999999999999999n);
    expect(wireToSen("99999999999999.99")).toBe(9999999999999999n);
    expect(wireToSen("9999999999999")).toBe(999999999999900n);
    expect(wireToSen("99999999999999")).toBe(9999999999999900n);
    expect(wireToSen("-99999999999999.9")).toBe(-9999999999999990n);
    expect(wireToSen(`${"9".repeat(40)}.01`)).toBe(10n ** 42n - 99n);
  });

  test.prop([fc.stringMatching(/^-?[0-9]{0,20}(\.[0-9]{0,3})?$/)])(
    "agrees with the wire pattern on every string of digits, sign and dot",
    (s) => {
      const match = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(s);
      const expected =
        match === null
          ? null
          : (match[1] === "-" ? -1n : 1n) * BigInt((match[2] ?? "") + (match[3] ?? "").padEnd(2, "0"));
      expect(wireToSenOrNull(s)).toBe(expected);
    },
  );

  test.prop([arbMoney()])("parseMoney of toWire round-trips for every non-negative amount", (m) => {
    const positive = abs(m);
    const parsed = parseMoney(toWire(positive));
    expect(isRight(parsed) && equals(parsed.right, positive)).toBe(true);
  });

  test.prop([arbMoney()])("parseSignedWire of toWire round-trips for every amount", (m) => {
    expect(equals(parseSignedWire(toWire(m)), m)).toBe(true);
  });
});
