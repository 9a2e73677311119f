/** The import's file reading (rows of a file, read a chunk at a time) and its spool of decided lines. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DecidedLine, DecidedSpool, SPOOL_WRITE_CHUNK_BYTES } from "../src/decidedSpool.js";
import { NotUtf8, readRows } from "../src/importFile.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-import-rows-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
const fileOf = (content: string | Buffer): string => {
  const path = join(directory, `file-${++files}`);
  writeFileSync(path, content);
  return path;
};

const TEXTS = [
  "",
  "\n",
  "one",
  "one\ntwo\n",
  "one\r\ntwo\r\n\r\nthree",
  "a\rb\n\r\n\rc\r",
  "é\n中文 and \u{1F600}\n" + "x".repeat(40) + "\n\n" + "中".repeat(30),
  `${"long row ".repeat(20)}\r\n${"é".repeat(25)}\n`,
];

describe("readRows", () => {
  it("splits a file exactly as text.split(/\\r?\\n/) does, whatever the chunk cuts (characters, CR LF, rows)", () => {
    for (const text of TEXTS) {
      const path = fileOf(text);
      for (const chunkBytes of [1, 2, 3, 5, 7, 64, 1024])
        expect(
          [...readRows(path, undefined, chunkBytes)],
          `${JSON.stringify(text)} in chunks of ${chunkBytes}`,
        ).toEqual(text.split(/\r?\n/));
    }
  });

  it("tells the bytes read so far, up to the file's size", () => {
    const path = fileOf("row one\nrow two\nrow three");
    const told: number[] = [];
    [...readRows(path, (bytes) => told.push(bytes), 4)];
    expect(told.at(-1)).toBe(25);
    expect(told).toEqual([...told].sort((a, b) => a - b));
  });

  it("refuses bytes that are not UTF-8 (NotUtf8) before giving their row or any after it", () => {
    const bad = [
      Buffer.from([0xff]),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xe4, 0xb8]),
    ];
    for (const bytes of bad) {
      const path = fileOf(
        Buffer.concat([Buffer.from("good\nalso good\nbad "), bytes, Buffer.from("\nafter\n")]),
      );
      for (const chunkBytes of [3, 1024]) {
        const rows: string[] = [];
        expect(() => {
          for (const row of readRows(path, undefined, chunkBytes)) rows.push(row);
        }).toThrow(NotUtf8);
        // A read is checked whole before its rows are given: the rows before the bad bytes in the same read
        // are not given either (a dry run names the first line that can hold them).
        expect(rows).toEqual(chunkBytes === 3 ? ["good", "also good"] : []);
      }
    }
  });
});

const decidedLine = (lineNumber: number, memo: string): DecidedLine => ({
  lineNumber,
  key: `key-${lineNumber}`,
  entryId: `entry-${lineNumber}`,
  firstEventId: `event-${lineNumber}`,
  requestHash: "ab".repeat(32),
  events: [
    {
      type: "JournalEntryPosted",
      data: {
        entryId: `entry-${lineNumber}`,
        kind: "regular",
        date: "2025-01-02",
        memo,
        lines: [],
        postedBy: "cli:import",
        proposedBy: null,
        reverses: null,
      },
    },
  ],
});

describe("DecidedSpool", () => {
  it("gives back every line as added, in order, in batches of the size asked, across its write buffer", () => {
    const spool = new DecidedSpool(join(directory, "spool-1.jsonl"));
    const memos = ["plain", "é 中文 \u{1F600}", "line\u2028separator", "lone \uD800"];
    const lines = Array.from({ length: 5_000 }, (_, index) =>
      decidedLine(index + 1, memos[index % memos.length] ?? ""),
    );
    // One line longer than the write buffer holds, written on its own.
    lines[2_345] = decidedLine(2_346, "中".repeat(SPOOL_WRITE_CHUNK_BYTES / 2));
    for (const line of lines) spool.add(line);
    expect(spool.count).toBe(lines.length);
    const batches = [...spool.batches(1_500)];
    expect(batches.map((batch) => batch.length)).toEqual([1_500, 1_500, 1_500, 500]);
    expect(batches.flat()).toEqual(JSON.parse(JSON.stringify(lines)));
  });

  it("gives no batch when nothing was added", () => {
    const spool = new DecidedSpool(join(directory, "spool-2.jsonl"));
    expect([...spool.batches(10)]).toEqual([]);
  });
});
