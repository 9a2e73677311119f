import type { Counterparty, EntryKind, Unit } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { entriesBetween } from "./readModel.js";
import { parseReportDate } from "./sen.js";

/** The journal (*jurnal umum*): every posted entry of a period with its lines, by date. */
export interface Journal {
  readonly from: string;
  readonly to: string;
  readonly entries: readonly JournalEntryView[];
  readonly totals: { readonly debit: string; readonly credit: string };
}

export interface JournalEntryView {
  readonly entryId: string;
  readonly date: string;
  readonly kind: EntryKind;
  readonly memo: string;
  readonly reverses: string | null;
  readonly reversedBy: string | null;
  readonly sequence: number;
  readonly lines: ReadonlyArray<{
    readonly account: string;
    readonly accountName: string;
    readonly debit?: string;
    readonly credit?: string;
    readonly memberId: string | null;
    readonly unit: Unit | null;
    readonly counterparty: Counterparty | null;
    readonly memo: string | null;
  }>;
}

/** The posted entries dated from `from` to `to` (inclusive), by date then recording order. */
export const journal = (model: LedgerReadModel, from: string, to: string): Journal => {
  const fromDay = parseReportDate(from);
  const toDay = parseReportDate(to);
  let debit = 0n;
  let credit = 0n;
  const entries: JournalEntryView[] = [];
  for (const entry of entriesBetween(model, fromDay, toDay)) {
    entries.push({
      entryId: entry.entryId,
      date: entry.date,
      kind: entry.kind,
      memo: entry.memo,
      reverses: entry.reverses,
      reversedBy: model.reversedBy.get(entry.entryId) ?? null,
      sequence: entry.revision,
      lines: entry.lines.map((line) => {
        const sen = wireToSen(line.amount);
        if (line.side === "debit") debit += sen;
        else credit += sen;
        return {
          account: line.account,
          accountName: model.accounts.get(line.account)?.name ?? line.account,
          ...(line.side === "debit" ? { debit: senToWire(sen) } : { credit: senToWire(sen) }),
          memberId: line.memberId,
          unit: line.unit,
          counterparty: line.counterparty,
          memo: line.memo,
        };
      }),
    });
  }
  return { from, to, entries, totals: { debit: senToWire(debit), credit: senToWire(credit) } };
};
