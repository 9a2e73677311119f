import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { csvField } from "../src/index.js";

/**
 * How a spreadsheet splits one CSV record with a given separator (RFC 4180 quoting: a field that starts
 * with a quote runs to the closing quote, "" inside for a quote). A `,`-separated file opened where the
 * list separator is `;` (Indonesian and most European settings) is split at the semicolons instead.
 */
const spreadsheetFields = (record: string, separator: string): string[] => {
  const fields: string[] = [];
  let index = 0;
  for (;;) {
    let field = "";
    if (record[index] === '"') {
      index += 1;
      while (index < record.length) {
        if (record[index] === '"' && record[index + 1] === '"') {
          field += '"';
          index += 2;
        } else if (record[index] === '"') {
          index += 1;
          break;
        } else field += record[index++];
      }
    }
    while (index < record.length && record[index] !== separator) field += record[index++];
    fields.push(field);
    if (index >= record.length) return fields;
    index += 1;
  }
};

const NUMBER = /^-?\d+(\.\d+)?$/;
/** A spreadsheet runs a cell as a formula when it starts with one of these (spaces before it aside). */
const runsAsFormula = (cell: string): boolean => /^\s*[=+\-@]/.test(cell) && !NUMBER.test(cell.trim());

const record = (text: string): string => ["line", csvField(text), csvField("150000.00")].join(",");

describe("CSV cells a spreadsheet cannot run", () => {
  it("neutralises a formula hidden behind a semicolon, for spreadsheets that split at semicolons", () => {
    const line = record('Setoran;=HYPERLINK("http://contoh.id/x","klik")');
    expect(spreadsheetFields(line, ",").some(runsAsFormula)).toBe(false);
    expect(spreadsheetFields(line, ";").some(runsAsFormula)).toBe(false);
    expect(spreadsheetFields(line, ";")[1]).toContain("HYPERLINK");
  });

  it("leaves amounts and ordinary text alone", () => {
    expect(csvField("-1500.00")).toBe("-1500.00");
    expect(csvField("Diskon -5% untuk anggota")).toBe("Diskon -5% untuk anggota");
    expect(csvField("Koperasi Sejahtera; Unit Simpan Pinjam")).toBe(
      '"Koperasi Sejahtera; Unit Simpan Pinjam"',
    );
  });

  test.prop(
    [
      fc.string({
        unit: fc.constantFrom("=", "+", "-", "@", ";", ",", '"', "\t", " ", "a", "1", "."),
        maxLength: 12,
      }),
    ],
    { numRuns: 500 },
  )(
    "no cell of any text runs as a formula, whether the spreadsheet splits at commas, semicolons or tabs",
    (text) => {
      const line = record(text);
      for (const separator of [",", ";", "\t"]) {
        const cells = spreadsheetFields(line, separator);
        expect(
          cells.filter(runsAsFormula),
          `${JSON.stringify(line)} split at ${JSON.stringify(separator)}`,
        ).toEqual([]);
      }
    },
  );
});
