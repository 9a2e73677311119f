/**
 * Builders that make decider tests read like ledger lines: `debit("1101", "50000.00")`.
 */
import type { Actor, LedgerCommand, PostJournalEntry } from "../commands.js";
import type { AccountOpened, EntryLine, LedgerEvent, LedgerOpened, MemberRegistered } from "../events.js";
import { kkmpChart } from "../kkmpChart.js";
import { defaultSettings } from "../settings.js";

export const TEST_COOP_ID = "kkmp-mangunharjo";
export const TEST_REGION_CODE = "35.74.03.1002";

export const treasurer: Actor = { principalId: "bendahara-1", role: "treasurer" };
export const approver: Actor = { principalId: "ketua-1", role: "approver" };
export const admin: Actor = { principalId: "adm-1", role: "admin" };

const line = (
  side: "debit" | "credit",
  account: string,
  amount: string,
  extra: Partial<EntryLine>,
): EntryLine => ({
  account,
  side,
  amount,
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
  ...extra,
});

export const debit = (account: string, amount: string, extra: Partial<EntryLine> = {}): EntryLine =>
  line("debit", account, amount, extra);

export const credit = (account: string, amount: string, extra: Partial<EntryLine> = {}): EntryLine =>
  line("credit", account, amount, extra);

export const ledgerOpened = (overrides: Partial<LedgerOpened["data"]> = {}): LedgerOpened => ({
  type: "LedgerOpened",
  data: {
    coopId: TEST_COOP_ID,
    name: "KKMP Mangunharjo",
    regionCode: TEST_REGION_CODE,
    settings: defaultSettings(TEST_REGION_CODE),
    ...overrides,
  },
});

/** The AccountOpened events of the kkmp chart, in order. */
export const kkmpAccountsOpened = (): AccountOpened[] =>
  kkmpChart.map((account) => ({ type: "AccountOpened", data: { ...account } }));

/** A ledger opened with the kkmp chart: the usual "given" of a decider test. */
export const kkmpLedger = (): LedgerEvent[] => [ledgerOpened(), ...kkmpAccountsOpened()];

export const memberRegistered = (memberId: string, name = "Siti Aminah"): MemberRegistered => ({
  type: "MemberRegistered",
  data: { memberId, name, joinedOn: "2025-08-01", role: "member" },
});

/** A regular entry as the decider records it (posted by the test treasurer), for a test's history. */
export const journalEntryPosted = (
  entryId: string,
  date: string,
  lines: readonly EntryLine[],
): LedgerEvent => ({
  type: "JournalEntryPosted",
  data: {
    entryId,
    kind: "regular",
    date,
    memo: "setoran",
    lines,
    postedBy: treasurer.principalId,
    proposedBy: null,
    reverses: null,
  },
});

export const postJournalEntry = (
  lines: readonly EntryLine[],
  options: { entryId?: string; date?: string; memo?: string; actor?: Actor } = {},
): PostJournalEntry => ({
  type: "PostJournalEntry",
  data: {
    entryId: options.entryId ?? "entry-1",
    date: options.date ?? "2026-01-15",
    memo: options.memo ?? "Setoran simpanan wajib Januari",
    lines,
  },
  actor: options.actor ?? treasurer,
});

/** Shorthand for any command with the treasurer as actor. */
export const command = <Type extends LedgerCommand["type"]>(
  type: Type,
  data: Extract<LedgerCommand, { type: Type }>["data"],
  actor: Actor = treasurer,
): Extract<LedgerCommand, { type: Type }> =>
  ({ type, data, actor }) as Extract<LedgerCommand, { type: Type }>;
