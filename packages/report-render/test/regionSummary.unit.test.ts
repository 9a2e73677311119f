import { describe, expect, it } from "vitest";
import { cooperativeFigures } from "../src/index.js";
import { kkmpModel } from "./fixtures.js";

/** The model with its last entry recorded at `recordedAt` and dated `date`, and nothing recorded after it. */
const lastRecordedAt = (date: string, recordedAt: string) => {
  const model = kkmpModel();
  const last = model.entries.at(-1);
  if (last === undefined) throw new Error("the KKMP year has entries");
  return { ...model, entries: [...model.entries.slice(0, -1), { ...last, date, recordedAt }] };
};

describe("days since the last posting", () => {
  it("counts on the cooperative's calendar: 20:00 UTC on 31 December is 1 January in WIB, WITA and WIT", () => {
    // Given an entry recorded at 20:00 UTC on 31 December 2027 (03:00 on 1 January 2028 in Jakarta)
    const model = lastRecordedAt("2027-12-31", "2027-12-31T20:00:00.000Z");
    // When the figures are taken as of 1 January 2028 on the cooperative's calendar
    // Then the posting was today there (this read 1 when the instant's UTC date was compared)
    for (const zone of ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]) {
      expect(cooperativeFigures(model, "2028-01-01", 0, zone).daysSinceLastPosting).toBe(0);
    }
    expect(cooperativeFigures(model, "2028-01-03", 0, "Asia/Jakarta").daysSinceLastPosting).toBe(2);
  });

  it("an instant still on the same day in the zone counts from that day", () => {
    const model = lastRecordedAt("2027-12-31", "2027-12-31T16:59:59.000Z");
    expect(cooperativeFigures(model, "2028-01-01", 0, "Asia/Jakarta").daysSinceLastPosting).toBe(1);
    expect(cooperativeFigures(model, "2028-01-01", 0, "Asia/Makassar").daysSinceLastPosting).toBe(0);
  });
});
