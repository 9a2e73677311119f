import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  documentToCsv,
  documentToText,
  pdfFonts,
  pdfFontWarning,
  renderDocumentPdf,
  reportDocument,
  row,
  textRuns,
} from "../src/index.js";
import { kkmpModel, settingFor } from "./fixtures.js";

/**
 * Names as people write them: Latin with diacritics, Javanese script, Arabic script, and text that looks
 * like a spreadsheet formula. The PDF embeds a Noto font for each script (fonts-noto-core) and reads back
 * as written; the terminal table shows text as written too; only CSV neutralises formulas.
 */
const NAMES = ["Ñoman Ayu Sekar Ṣalīḥah", "ꦱꦶꦠꦶꦲꦩꦶꦤꦃ", "محمد عبد الله", '=HYPERLINK("http://contoh.id")'];

const document = reportDocument({
  kind: "members",
  title: "Daftar Anggota",
  period: "31 Desember 2026",
  columns: [
    { key: "label", header: "Nama", kind: "text" },
    { key: "amount", header: "Simpanan", kind: "amount" },
  ],
  rows: NAMES.map((name) => row("line", 0, { label: name, amount: "150000.00" })),
});

describe("names in every script, printed as written", () => {
  it("cuts text into runs of one script, spaces and digits staying with their run", () => {
    expect(textRuns("Bapak محمد عبد الله (2) ꦱꦶꦠꦶ")).toEqual([
      { script: "latin", text: "Bapak " },
      { script: "arabic", text: "محمد عبد الله (2) " },
      { script: "javanese", text: "ꦱꦶꦠꦶ" },
    ]);
  });

  it("embeds Noto Sans, Noto Sans Javanese and Noto Sans Arabic, and the PDF reads back with every name", async () => {
    expect(pdfFontWarning()).toBeNull();
    const file = join(mkdtempSync(join(tmpdir(), "bukubesar-scripts-")), "names.pdf");
    writeFileSync(file, await renderDocumentPdf(document, settingFor(kkmpModel())));
    const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" });
    for (const font of ["NotoSans-Regular", "NotoSansJavanese-Regular", "NotoSansArabic-Regular"])
      expect(fonts).toMatch(new RegExp(`\\+${font}\\s+CID TrueType\\s+Identity-H\\s+yes yes yes`));
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain(NAMES[0]);
    // pdftotext may put a space inside a Javanese word where a vowel sign sits over the next consonant.
    expect(text.replace(/\s/g, "")).toContain(NAMES[1]);
    for (const word of (NAMES[2] as string).split(" ")) expect(text).toContain(word);
    expect(text).toContain(NAMES[3]);
    expect(text).not.toContain("'=HYPERLINK");
  });

  it("shows text as written in the terminal table and neutralises it only in CSV", () => {
    const table = documentToText(document, settingFor(kkmpModel()));
    for (const name of NAMES) expect(table).toContain(name);
    expect(table).not.toContain("'=");
    expect(documentToCsv(document)).toContain(`"'=HYPERLINK(""http://contoh.id"")"`);
  });

  it("finds the fonts of every script on this machine", () => {
    expect(Object.keys(pdfFonts().scripts).sort()).toEqual(["arabic", "javanese"]);
  });
});
