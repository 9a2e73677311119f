import { describe, expect, it } from "vitest";
import { fromSen, parseSignedWire, terbilang } from "../src/index.js";

const w = parseSignedWire;

describe("terbilang", () => {
  it.each([
    ["0", "nol rupiah"],
    ["1", "satu rupiah"],
    ["10", "sepuluh rupiah"],
    ["11", "sebelas rupiah"],
    ["12", "dua belas rupiah"],
    ["19", "sembilan belas rupiah"],
    ["20", "dua puluh rupiah"],
    ["21", "dua puluh satu rupiah"],
    ["99", "sembilan puluh sembilan rupiah"],
    ["100", "seratus rupiah"],
    ["101", "seratus satu rupiah"],
    ["110", "seratus sepuluh rupiah"],
    ["111", "seratus sebelas rupiah"],
    ["200", "dua ratus rupiah"],
    ["1000", "seribu rupiah"],
    ["1001", "seribu satu rupiah"],
    ["1100", "seribu seratus rupiah"],
    ["2000", "dua ribu rupiah"],
    ["11000", "sebelas ribu rupiah"],
    ["100000", "seratus ribu rupiah"],
    ["101000", "seratus satu ribu rupiah"],
    ["1000000", "satu juta rupiah"],
    ["1001000", "satu juta seribu rupiah"],
    ["2950000", "dua juta sembilan ratus lima puluh ribu rupiah"],
    ["1000000000", "satu miliar rupiah"],
    ["1000000000000", "satu triliun rupiah"],
    ["1000001000001", "satu triliun satu juta satu rupiah"],
    [
      "999999999999999",
      "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh sembilan miliar " +
        "sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh sembilan ribu " +
        "sembilan ratus sembilan puluh sembilan rupiah",
    ],
  ])("%s rupiah is %s", (wire, words) => {
    expect(terbilang(w(wire))).toBe(words);
  });

  it("writes sen after the rupiah", () => {
    expect(terbilang(w("2950000.50"))).toBe("dua juta sembilan ratus lima puluh ribu rupiah lima puluh sen");
    expect(terbilang(w("12.05"))).toBe("dua belas rupiah lima sen");
    expect(terbilang(w("1000.11"))).toBe("seribu rupiah sebelas sen");
    expect(terbilang(w("0.50"))).toBe("lima puluh sen");
  });

  it("prefixes negatives with minus", () => {
    expect(terbilang(w("-1500"))).toBe("minus seribu lima ratus rupiah");
    expect(terbilang(w("-0.01"))).toBe("minus satu sen");
  });

  it("refuses amounts beyond 999 triliun", () => {
    expect(() => terbilang(fromSen(10n ** 17n))).toThrow(RangeError);
  });
});
