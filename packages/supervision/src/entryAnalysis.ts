import type { EntryLine } from "@bukubesar/ledger-core";
import { Decimal } from "decimal.js";
import type { CooperativeFacts } from "./cooperativeFacts.js";
import { isCashAccount, ZERO } from "./cooperativeFacts.js";

/** The entry's total debit (= total credit for a balanced entry). */
export function entryTotal(lines: readonly EntryLine[]): Decimal {
  let total = ZERO;
  for (const line of lines) if (line.side === "debit") total = total.plus(line.amount);
  return total;
}

/**
 * The cash an entry moves across the cooperative's boundary: the net change of its cash lines, as an
 * absolute amount. A transfer from Kas Besar to Kas Kecil nets to zero and is not a cash transaction.
 */
export function netCashMovement(facts: CooperativeFacts, lines: readonly EntryLine[]): Decimal {
  let net = ZERO;
  for (const line of lines) {
    if (!isCashAccount(facts, line.account)) continue;
    net = line.side === "debit" ? net.plus(line.amount) : net.minus(line.amount);
  }
  return net.abs();
}

/** The cash accounts an entry touches. */
export function cashAccountsOf(facts: CooperativeFacts, lines: readonly EntryLine[]): string[] {
  return [
    ...new Set(lines.filter((line) => isCashAccount(facts, line.account)).map((line) => line.account)),
  ].sort();
}

/**
 * The members a cash entry moves money for, with the cash attributed to each: the sum of the member's own
 * (non-cash) lines, capped at the entry's net cash movement.
 */
export function cashByMember(facts: CooperativeFacts, lines: readonly EntryLine[]): Map<string, Decimal> {
  const cash = netCashMovement(facts, lines);
  const byMember = new Map<string, Decimal>();
  if (cash.isZero()) return byMember;
  for (const line of lines) {
    if (line.memberId === null || isCashAccount(facts, line.account)) continue;
    byMember.set(line.memberId, (byMember.get(line.memberId) ?? ZERO).plus(line.amount));
  }
  for (const [memberId, amount] of byMember) byMember.set(memberId, Decimal.min(amount, cash));
  return byMember;
}

/** Rupiah as Indonesians write it: "Rp150.000.000" (sen only when present: "Rp1.500,50"). */
export function formatRupiah(amount: Decimal | string): string {
  const value = new Decimal(amount);
  const sign = value.isNegative() ? "-" : "";
  const [whole = "0", fraction = "00"] = value.abs().toFixed(2).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${sign}Rp${grouped}${fraction === "00" ? "" : `,${fraction}`}`;
}
