import { describe, expect, it } from "vitest";
import { parseSignedWire, percentOf, toWire } from "../src/index.js";

const w = parseSignedWire;

describe("percentOf", () => {
  it("takes a percentage to the sen with the named rounding", () => {
    expect(toWire(percentOf(w("240000.00"), "10", "half_up"))).toBe("24000.00");
    expect(toWire(percentOf(w("100.05"), "10", "half_up"))).toBe("10.01");
    expect(toWire(percentOf(w("100.05"), "10", "half_even"))).toBe("10.00");
    expect(toWire(percentOf(w("100.15"), "10", "half_even"))).toBe("10.02");
    expect(toWire(percentOf(w("100.09"), "10", "down"))).toBe("10.00");
    expect(toWire(percentOf(w("1000.00"), "12.5", "half_up"))).toBe("125.00");
    expect(toWire(percentOf(w("-100.05"), "10", "half_up"))).toBe("-10.01");
    expect(toWire(percentOf(w("-100.09"), "10", "down"))).toBe("-10.00");
    expect(toWire(percentOf(w("999999999999999.99"), "100", "half_up"))).toBe("999999999999999.99");
    expect(toWire(percentOf(w("1.00"), "0.5", "half_up"))).toBe("0.01");
    expect(toWire(percentOf(w("1.00"), "0", "half_up"))).toBe("0.00");
  });

  it.each(["", "-5", "1e2", "10%", " 10", "1.", ".5", "1".repeat(21)])(
    "throws on the malformed percentage %j",
    (p) => {
      expect(() => percentOf(w("1.00"), p, "half_up")).toThrow(RangeError);
    },
  );
});
