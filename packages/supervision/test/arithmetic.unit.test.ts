import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { isAboveFractionOf, isAtLeastFractionOf, parseFraction, ratioToString } from "../src/fraction.js";
import { daysBetween, epochDay, instantMs, localDateTimeAt } from "../src/localTime.js";

const MS_PER_DAY = 86_400_000;
const instant = fc.integer({
  min: Date.parse("1990-01-01T00:00:00Z"),
  max: Date.parse("2100-12-31T00:00:00Z"),
});

describe("local time without Intl", () => {
  test.prop([instant, fc.constantFrom("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")])(
    "the fixed offsets of WIB, WITA and WIT give what Intl gives",
    (milliseconds, timeZone) => {
      const parts: Record<string, string> = {};
      const formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        weekday: "short",
      });
      for (const part of formatter.formatToParts(new Date(milliseconds))) parts[part.type] = part.value;
      const local = localDateTimeAt(milliseconds, timeZone);
      expect(local.date).toBe(`${parts.year}-${parts.month}-${parts.day}`);
      expect(local.time).toBe(`${parts.hour}:${parts.minute}`);
      expect(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][local.weekday]).toBe(parts.weekday);
    },
  );

  test.prop([instant, fc.integer({ min: 0, max: 999 })])(
    "instantMs gives what Date.parse gives for toISOString's form",
    (milliseconds, extra) => {
      const text = new Date(milliseconds + extra).toISOString();
      expect(instantMs(text)).toBe(Date.parse(text));
    },
  );

  it("instantMs gives what Date.parse gives for other forms and impossible instants", () => {
    for (const text of [
      "2026-02-30T10:00:00.000Z",
      "2026-02-28T24:00:00.000Z",
      "2026-13-01T10:00:00.000Z",
      "2026-00-10T10:00:00.000Z",
      "2026-01-14T10:60:00.000Z",
      "2026-01-14T10:00:00Z",
      "2026-01-14T17:00:00.000+07:00",
      "2026-01-14 10:00:00.000Z",
      "2026-01-14T1a:00:00.000Z",
      "",
      "not a time",
    ]) {
      expect([text, instantMs(text)]).toEqual([text, Date.parse(text)]);
    }
  });

  test.prop([instant, instant])("epochDay and daysBetween agree with Date", (first, second) => {
    const earlier = new Date(first).toISOString().slice(0, 10);
    const later = new Date(second).toISOString().slice(0, 10);
    expect(epochDay(earlier)).toBe(Date.parse(`${earlier}T00:00:00Z`) / MS_PER_DAY);
    expect(daysBetween(earlier, later)).toBe(
      Math.round((Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / MS_PER_DAY),
    );
  });
});

describe("fractions of amounts in sen", () => {
  it("compares exactly at the boundary", () => {
    const tenPercent = parseFraction("0.10");
    expect(isAtLeastFractionOf(1_000n, tenPercent, 10_000n)).toBe(true);
    expect(isAtLeastFractionOf(999n, tenPercent, 10_000n)).toBe(false);
    expect(isAboveFractionOf(1_000n, tenPercent, 10_000n)).toBe(false);
    expect(isAboveFractionOf(1_001n, tenPercent, 10_000n)).toBe(true);
    expect(() => parseFraction("-0.1")).toThrow();
  });

  it("writes ratios as decimal.js's toDecimalPlaces(n).toString() did", () => {
    expect(ratioToString(1n, 20n, 4)).toBe("0.05");
    expect(ratioToString(125n, 10n, 1)).toBe("12.5");
    expect(ratioToString(30n, 10n, 4)).toBe("3");
    expect(ratioToString(2n, 3n, 4)).toBe("0.6667");
    expect(ratioToString(1n, 8n, 2)).toBe("0.13");
    expect(ratioToString(-1n, 8n, 2)).toBe("-0.13");
    expect(ratioToString(-1n, 1000n, 2)).toBe("0");
  });
});
