import { describe, expect, it } from "vitest";
import {
  applyLedgerEvent,
  buildReadModel,
  EXPORT_CHUNK_LINES,
  escapeForComment,
  exportLedgerJournal,
  ledgerJournalChunks,
} from "../src/index.js";
import { credit, debit, LedgerBuilder } from "./ledgerBuilder.js";

const unescapeComment = (text: string): string =>
  text.replace(/\\u([0-9a-f]{4})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

const HOSTILE =
  "Setoran;  wajib\n2026-01-01 * injected\tIDR 5 \u202Eevil\u202C date:2020-01-01 [2020-01-01] \\u0041";

describe("exportLedgerJournal", () => {
  const builder = new LedgerBuilder("kkmp-x")
    .account("1101", "Kas  Besar:Utama;\n\u200Bx", "asset")
    .account("3200", "Simpanan Wajib", "equity");
  const entryId = builder.post("2026-01-15", HOSTILE, [
    debit("1101", "50000.00", { memo: HOSTILE }),
    credit("3200", "50000.00", { memberId: "A-1" }),
  ]);
  builder.post("2026-01-16", "(kode) *bintang", [debit("1101", "1.05"), credit("3200", "1.05")]);
  const journal = exportLedgerJournal(buildReadModel("kkmp-x", builder.events));
  const lines = journal.split("\n");

  it("writes types, codes, cleaned names, the commodity and one posting per line", () => {
    expect(journal).toContain("commodity IDR\n    format IDR 1000.00\n");
    expect(lines).toContain("account Aset:1101 Kas Besar-Utama, x  ; type: A");
    expect(lines).toContain("account Ekuitas:3200 Simpanan Wajib  ; type: E");
    expect(lines).toContain("    Aset:1101 Kas Besar-Utama, x  IDR 1.05");
    expect(lines).toContain("    Ekuitas:3200 Simpanan Wajib  IDR -1.05");
    expect(lines).toContain("2026-01-16 * _kode) *bintang");
    expect(journal).not.toMatch(/[\t\r\u202A-\u202E\u200B]/u);
  });

  it("keeps every changed text recoverable in a comment that carries no tag, date or line break", () => {
    const header = lines.find((line) => line.startsWith("2026-01-15 * ")) as string;
    expect(header).toBe(
      "2026-01-15 * Setoran, wajib 2026-01-01 * injected IDR 5 evil date:2020-01-01 [2020-01-01] \\u0041",
    );
    const original = lines.find((line) => line.startsWith("    ; original memo: ")) as string;
    expect(original.slice("    ; original memo: ".length)).not.toMatch(/[[\]:;\t\n]/);
    expect(unescapeComment(original.slice("    ; original memo: ".length))).toBe(HOSTILE);
    const nameComment = lines.find((line) => line.startsWith("; account 1101 original name: ")) as string;
    expect(unescapeComment(nameComment.slice("; account 1101 original name: ".length))).toBe(
      "Kas  Besar:Utama;\n\u200Bx",
    );
    const posting = lines.find(
      (line) => line.startsWith("    Aset:1101") && line.includes("50000.00"),
    ) as string;
    const comment = posting.slice(posting.indexOf("  ; ") + 4);
    expect(comment).not.toMatch(/[:[\]]/);
    expect(unescapeComment(comment)).toBe(HOSTILE);
    expect(lines.some((line) => line.includes(`entry ${escapeForComment(entryId)}`))).toBe(true);
  });

  it("keeps names as written, declares each account's type and names liabilities Liabilitas", () => {
    const written = new LedgerBuilder("kkmp-y")
      .account("1111", "Bank – Rekening Operasional (Himbara)", "asset")
      .account("1120", "Deposito ≤ 3 bulan", "asset")
      .account("2601", "Pinjaman Bank Himbara – PMK 49/2025", "liability")
      .account("4101", "Penjualan Sembako – Anggota", "income")
      .account("6101", "Gaji @ 5% = “honor”", "expense");
    const exported = exportLedgerJournal(buildReadModel("kkmp-y", written.events)).split("\n");
    expect(exported).toEqual(
      expect.arrayContaining([
        "account Aset:1111 Bank – Rekening Operasional (Himbara)  ; type: A",
        "account Aset:1120 Deposito ≤ 3 bulan  ; type: A",
        "account Liabilitas:2601 Pinjaman Bank Himbara – PMK 49/2025  ; type: L",
        "account Pendapatan:4101 Penjualan Sembako – Anggota  ; type: R",
        "account Beban:6101 Gaji @ 5% = “honor”  ; type: X",
      ]),
    );
    expect(exported.some((line) => line.includes("original name"))).toBe(false);
  });

  it("escapes so that only safe characters remain", () => {
    expect(escapeForComment("a  b:c")).toBe("a \\u0020b\\u003ac");
    expect(escapeForComment("trailing ")).toBe("trailing\\u0020");
    expect(escapeForComment("Rp 1.000,50 (ok)")).toBe("Rp 1.000,50 (ok)");
  });
});

describe("ledgerJournalChunks", () => {
  const ENTRIES = 1500;
  const builder = new LedgerBuilder("kkmp-panjang")
    .account("1101", "Kas", "asset")
    .account("3200", "Simpanan Wajib", "equity");
  for (let day = 0; day < ENTRIES; day++)
    builder.post("2026-03-01", `Setoran ${day}`, [debit("1101", "10.00"), credit("3200", "10.00")]);

  it("writes a long journal in chunks of bounded size whose concatenation is the whole journal", () => {
    const model = buildReadModel("kkmp-panjang", builder.events);
    const chunks = [...ledgerJournalChunks(model)];
    // 1,500 entries of 5 lines each: at least four chunks, none longer than EXPORT_CHUNK_LINES lines.
    expect(chunks.length).toBeGreaterThanOrEqual(Math.floor((ENTRIES * 5) / EXPORT_CHUNK_LINES));
    for (const chunk of chunks) expect(chunk.split("\n").length - 1).toBeLessThanOrEqual(EXPORT_CHUNK_LINES);
    expect(chunks.every((chunk) => chunk.endsWith("\n"))).toBe(true);
    expect(chunks.join("")).toBe(exportLedgerJournal(model));
    expect(chunks.join("").match(/^2026-03-01 \* /gm)?.length).toBe(ENTRIES);
  });

  it("is the journal of the moment it was asked for: an entry recorded while it is written is not in it", () => {
    const model = buildReadModel("kkmp-panjang", builder.events);
    const chunks = ledgerJournalChunks(model)[Symbol.iterator]();
    const first = chunks.next().value as string;
    const later = new LedgerBuilder("kkmp-panjang");
    later.events.push(...builder.events);
    later.post("2026-03-02", "Dicatat saat ekspor berjalan", [debit("1101", "5.00"), credit("3200", "5.00")]);
    applyLedgerEvent(model, later.events[later.events.length - 1] as (typeof later.events)[number]);
    let rest = "";
    for (let next = chunks.next(); next.done !== true; next = chunks.next()) rest += next.value;
    expect(`${first}${rest}`).not.toContain("Dicatat saat ekspor berjalan");
    expect(exportLedgerJournal(model)).toContain("Dicatat saat ekspor berjalan");
  });
});
