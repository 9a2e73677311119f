/** The web application's dates: Indonesian from the renderer's month names (written once), or English. */
import { describe, expect, it } from "vitest";
import { longDate } from "../src/format.js";

describe("longDate", () => {
  it("writes a date as Indonesian and English documents do", () => {
    expect(longDate("2026-08-17", "id")).toBe("17 Agustus 2026");
    expect(longDate("2026-12-31T10:00:00Z", "id")).toBe("31 Desember 2026");
    expect(longDate("2026-08-17", "en")).toBe("17 August 2026");
    expect(longDate("2026-13-01", "id")).toBe("2026-13-01");
  });
});
