import { describe, expect, it } from "vitest";
import { EntryIdSet } from "../src/entryIdSet.js";
import { type KeyedLine, LinesKeys } from "../src/linesKey.js";

const ids = new EntryIdSet();
const uuidWords = (id: string, out: Uint32Array): boolean => ids.uuidWords(id, out);
const UUID = "0b7f5a8e-1c2d-4e5f-8a9b-00000000002a";

const line = (
  account: string,
  side: KeyedLine["side"],
  sen: bigint,
  memberId: string | null = null,
): KeyedLine => ({
  account,
  side,
  sen,
  memberId,
});

const original = [line("1101", "debit", 100_000n), line("3200", "credit", 100_000n, "A-0012")];
const mirror = (lines: readonly KeyedLine[]): KeyedLine[] =>
  lines.map((each) => ({ ...each, side: each.side === "debit" ? "credit" : "debit" }));

describe("the key of an entry's lines", () => {
  it.each([UUID, "entry-1"])("is the original's for its mirror in any order, under id %s", (entryId) => {
    const keys = new LinesKeys();
    const own = [...keys.keyOf(entryId, original, false, uuidWords)];
    expect([...keys.keyOf(entryId, mirror(original), true, uuidWords)]).toEqual(own);
    expect([...keys.keyOf(entryId, mirror(original).reverse(), true, uuidWords)]).toEqual(own);
  });

  it("differs for another amount, account, member, side or id", () => {
    const keys = new LinesKeys();
    const own = [...keys.keyOf(UUID, original, false, uuidWords)];
    const others = [
      [line("1101", "debit", 100n), line("3200", "credit", 100n, "A-0012")],
      [line("1102", "debit", 100_000n), line("3200", "credit", 100_000n, "A-0012")],
      [line("1101", "debit", 100_000n), line("3200", "credit", 100_000n, "A-0013")],
      [line("1101", "credit", 100_000n), line("3200", "debit", 100_000n, "A-0012")],
      [
        line("1101", "debit", 100_000n),
        line("3200", "credit", 100_000n, "A-0012"),
        line("1101", "debit", 0n),
      ],
    ];
    for (const lines of others) expect([...keys.keyOf(UUID, lines, false, uuidWords)]).not.toEqual(own);
    expect([...keys.keyOf("entry-1", original, false, uuidWords)]).not.toEqual(own);
  });
});
