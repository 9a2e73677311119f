import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { equals, formatRupiah, parseRupiah, parseSignedWire, toWire } from "../src/index.js";
import { arbMoney } from "./arbitraries.js";

const w = parseSignedWire;

describe("formatRupiah (PUEBI)", () => {
  it.each([
    ["1234567.50", "Rp1.234.567,50"],
    ["0.00", "Rp0,00"],
    ["0.05", "Rp0,05"],
    ["500.50", "Rp500,50"],
    ["1000.00", "Rp1.000,00"],
    ["999.00", "Rp999,00"],
    ["2950000.00", "Rp2.950.000,00"],
    ["999999999999999.99", "Rp999.999.999.999.999,99"],
    ["-1500.00", "(Rp1.500,00)"],
    ["-0.01", "(Rp0,01)"],
    ["-999999999999999.99", "(Rp999.999.999.999.999,99)"],
  ])("%s is written %s", (wire, written) => {
    expect(formatRupiah(w(wire))).toBe(written);
    expect(formatRupiah(w(wire), { withSen: true })).toBe(written);
  });

  it("omits ',00' without sen, but never hides sen that are there", () => {
    expect(formatRupiah(w("2950000.00"), { withSen: false })).toBe("Rp2.950.000");
    expect(formatRupiah(w("0.00"), { withSen: false })).toBe("Rp0");
    expect(formatRupiah(w("-1500.00"), { withSen: false })).toBe("(Rp1.500)");
    expect(formatRupiah(w("500.50"), { withSen: false })).toBe("Rp500,50");
  });

  it("writes negatives with a minus when asked", () => {
    expect(formatRupiah(w("-1500.00"), { negative: "minus" })).toBe("-Rp1.500,00");
  });

  it("uses no space, no full stop after Rp, and no no-break space", () => {
    const written = formatRupiah(w("1234567.50"));
    expect(written).not.toMatch(/\s|\u00a0|Rp\./u);
  });

  it("reads back every written form", () => {
    expect(toWire(parseRupiah("Rp1.234.567,50"))).toBe("1234567.50");
    expect(toWire(parseRupiah("Rp2.950.000"))).toBe("2950000.00");
    expect(toWire(parseRupiah("(Rp1.500,00)"))).toBe("-1500.00");
    expect(toWire(parseRupiah("-Rp1.500,00"))).toBe("-1500.00");
    expect(toWire(parseRupiah("Rp0,00"))).toBe("0.00");
  });

  it.each([
    "Rp 1.000,00",
    "Rp.1.000,00",
    "RP1.000,00",
    "Rp1000,00",
    "Rp1.00,00",
    "Rp01.000,00",
    "Rp1.000,5",
    "(Rp1.000,00",
    "Rp1.000,00)",
    "-(Rp1.000,00)",
    "-Rp1.000,00)",
    "1.000,00",
    "",
  ])("parseRupiah throws on %j", (s) => {
    expect(() => parseRupiah(s)).toThrow(RangeError);
  });

  test.prop([arbMoney()])("parseRupiah(formatRupiah(m)) equals m in every style", (m) => {
    expect(equals(parseRupiah(formatRupiah(m)), m)).toBe(true);
    expect(equals(parseRupiah(formatRupiah(m, { withSen: false })), m)).toBe(true);
    expect(equals(parseRupiah(formatRupiah(m, { negative: "minus" })), m)).toBe(true);
  });
});
