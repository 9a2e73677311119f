/**
 * A receipt (kuitansi) for a posted journal entry: who paid or was paid, what for, and the amount in
 * figures and in words (terbilang), so it cannot be altered by a stroke of the pen. The amount is the
 * entry's cash and bank side: money into 11xx accounts is received, money out of them is paid.
 */
import type { EntryLine } from "@bukubesar/ledger-core";
import { fromSen, senToWire, terbilang, wireToSen } from "@bukubesar/money";
import { isCashAccount, type LedgerReadModel } from "@bukubesar/projections";
import { amountText } from "./amountText.js";
import { dateInWords } from "./indonesianDate.js";
import { type ReportDocument, reportDocument, row } from "./reportDocument.js";

/** The facts of an entry a receipt needs, as the ledger records them. */
export interface ReceiptEntry {
  readonly entryId: string;
  readonly date: string;
  readonly memo: string;
  readonly lines: readonly EntryLine[];
}

export interface Receipt {
  /** The entry id: the receipt is numbered by the entry it proves. */
  readonly receiptNumber: string;
  readonly date: string;
  readonly dateInWords: string;
  /** received: money came into cash or bank; paid: it went out. */
  readonly direction: "received" | "paid";
  /** The member the entry names, if any (the first line naming one). */
  readonly memberId: string | null;
  readonly party: string | null;
  readonly memo: string;
  readonly amount: string;
  /** The amount in Indonesian words: "satu juta dua ratus lima puluh ribu rupiah". */
  readonly amountInWords: string;
}

const sumOf = (lines: readonly EntryLine[]): bigint =>
  lines.reduce((total, line) => total + wireToSen(line.amount), 0n);

/**
 * The receipt of an entry. Cash in (debits to cash and bank above credits) is received, cash out is
 * paid; an entry that moves no cash, or only between cash and bank, is receipted for its debit total as
 * received.
 */
export const entryReceipt = (entry: ReceiptEntry, model: LedgerReadModel): Receipt => {
  const isCash = (code: string) => {
    const account = model.accounts.get(code);
    return account !== undefined && isCashAccount(account);
  };
  const cashLines = entry.lines.filter((line) => isCash(line.account));
  const net =
    sumOf(cashLines.filter((line) => line.side === "debit")) -
    sumOf(cashLines.filter((line) => line.side === "credit"));
  const amountSen =
    net === 0n ? sumOf(entry.lines.filter((line) => line.side === "debit")) : net < 0n ? -net : net;
  const memberId = entry.lines.find((line) => line.memberId !== null)?.memberId ?? null;
  return {
    receiptNumber: entry.entryId,
    date: entry.date,
    dateInWords: dateInWords(entry.date),
    direction: net < 0n ? "paid" : "received",
    memberId,
    party: memberId === null ? null : (model.members.get(memberId)?.name ?? null),
    memo: entry.memo,
    amount: senToWire(amountSen),
    amountInWords: terbilang(fromSen(amountSen)),
  };
};

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The receipt as a document: its rows are what both the JSON and the PDF show. */
export const receiptDocument = (receipt: Receipt): ReportDocument => {
  const received = receipt.direction === "received";
  const party =
    receipt.party === null
      ? (receipt.memberId ?? "")
      : `${receipt.party}${receipt.memberId === null ? "" : ` (${receipt.memberId})`}`;
  return reportDocument({
    kind: "receipt",
    title: "Kuitansi",
    period: `Nomor ${receipt.receiptNumber}`,
    columns: [
      { key: "label", header: "Uraian", kind: "text" },
      { key: "detail", header: "Keterangan", kind: "text" },
    ],
    rows: [
      row("line", 0, { label: "Nomor kuitansi", detail: receipt.receiptNumber }),
      row("line", 0, { label: "Tanggal", detail: receipt.dateInWords }),
      row("line", 0, { label: received ? "Diterima dari" : "Dibayar kepada", detail: party }),
      row("line", 0, { label: "Untuk pembayaran", detail: receipt.memo }),
      row("total", 0, {
        label: "Jumlah",
        detail: amountText(receipt.amount, wireToSen(receipt.amount) % 100n !== 0n),
      }),
    ],
    paragraphs: [`Terbilang: ${capitalised(receipt.amountInWords)}.`],
    signatures: {
      counterparty: { office: received ? "Penyetor" : "Penerima", name: receipt.party },
    },
  });
};
