/** A decoded request line as the ledger's entry line: one side, its amount, and the optional tags. */
import type { EntryLine } from "@bukubesar/ledger-core";
import type { LineInput } from "./bodies.js";

export const toEntryLine = (line: LineInput): EntryLine => ({
  account: line.account,
  side: line.debit !== undefined ? "debit" : "credit",
  amount: (line.debit ?? line.credit) as string,
  memberId: line.memberId ?? null,
  unit: line.unit ?? null,
  counterparty: line.counterparty ?? (line.memberId !== undefined ? "member" : null),
  memo: line.memo ?? null,
});
