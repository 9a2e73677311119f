import type { AccountType, MemberRole, NormalBalance, Settings } from "@bukubesar/ledger-core";
import { Decimal } from "decimal.js";
import type { SupervisedEvent } from "./supervisedEvent.js";
import {
  BANK_ACCOUNT_PREFIXES,
  CASH_ACCOUNT_PREFIXES,
  CURRENT_LIABILITY_PREFIXES,
  DEFAULT_SETTINGS,
  LOAN_ACCOUNT_PREFIXES,
} from "./thresholds.js";

export interface AccountFacts {
  readonly code: string;
  readonly accountType: AccountType;
  readonly normalBalance: NormalBalance;
  readonly noOverdraft: boolean;
}

/**
 * The supervisor's own small projection of a cooperative: what the rules need to know, built from the
 * cooperative's ledger stream only (LedgerOpened, SettingsChanged, AccountOpened, MemberRegistered,
 * JournalEntryPosted). Balances are debit-positive.
 */
export interface CooperativeFacts {
  readonly coopId: string;
  readonly regionCode: string;
  readonly settings: Settings;
  readonly accounts: Readonly<Record<string, AccountFacts>>;
  readonly members: Readonly<Record<string, MemberRole>>;
  readonly balances: Readonly<Record<string, Decimal>>;
  /** Outstanding loans given (debit-positive) per member. */
  readonly loansByMember: Readonly<Record<string, Decimal>>;
  /** The last posting's recording instant and event id (or the opening's, before any posting). */
  readonly lastActivityAt: string | null;
  readonly lastActivityEventId: string | null;
}

export const ZERO = new Decimal(0);

export function emptyFacts(coopId: string): CooperativeFacts {
  return {
    coopId,
    regionCode: "",
    settings: DEFAULT_SETTINGS,
    accounts: {},
    members: {},
    balances: {},
    loansByMember: {},
    lastActivityAt: null,
    lastActivityEventId: null,
  };
}

function startsWithAny(code: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => code.startsWith(prefix));
}

/** Cash: an asset account in the cash range (Kas). */
export function isCashAccount(facts: CooperativeFacts, code: string): boolean {
  const account = facts.accounts[code];
  return (
    account !== undefined && account.accountType === "asset" && startsWithAny(code, CASH_ACCOUNT_PREFIXES)
  );
}

/** Watched for a balance below zero: cash accounts and any account opened with noOverdraft. */
export function isWatchedForOverdraft(facts: CooperativeFacts, code: string): boolean {
  return isCashAccount(facts, code) || facts.accounts[code]?.noOverdraft === true;
}

export function isLoanAccount(facts: CooperativeFacts, code: string): boolean {
  const account = facts.accounts[code];
  return (
    account !== undefined && account.accountType === "asset" && startsWithAny(code, LOAN_ACCOUNT_PREFIXES)
  );
}

/** Cash and bank (Kas dan Setara Kas), debit-positive. */
export function cashAndBank(facts: CooperativeFacts): Decimal {
  let total = ZERO;
  for (const [code, balance] of Object.entries(facts.balances)) {
    if (isCashAccount(facts, code) || startsWithAny(code, BANK_ACCOUNT_PREFIXES)) total = total.plus(balance);
  }
  return total;
}

/** Current liabilities, credit-positive. */
export function currentLiabilities(facts: CooperativeFacts): Decimal {
  let total = ZERO;
  for (const [code, balance] of Object.entries(facts.balances)) {
    if (
      facts.accounts[code]?.accountType === "liability" &&
      startsWithAny(code, CURRENT_LIABILITY_PREFIXES)
    ) {
      total = total.minus(balance);
    }
  }
  return total;
}

/** Own capital (modal sendiri): the equity accounts' balance, credit-positive. */
export function ownCapital(facts: CooperativeFacts): Decimal {
  let total = ZERO;
  for (const [code, balance] of Object.entries(facts.balances)) {
    if (facts.accounts[code]?.accountType === "equity") total = total.minus(balance);
  }
  return total;
}

/** The signed (debit-positive) change an entry makes to each account. */
export function entryDeltas(
  lines: readonly { account: string; side: string; amount: string }[],
): Map<string, Decimal> {
  const deltas = new Map<string, Decimal>();
  for (const line of lines) {
    const amount = new Decimal(line.amount);
    deltas.set(
      line.account,
      (deltas.get(line.account) ?? ZERO).plus(line.side === "debit" ? amount : amount.negated()),
    );
  }
  return deltas;
}

/** The facts after one event; pure. */
export function applyToFacts(facts: CooperativeFacts, event: SupervisedEvent): CooperativeFacts {
  switch (event.type) {
    case "LedgerOpened":
      return {
        ...facts,
        regionCode: event.data.regionCode,
        settings: event.data.settings,
        lastActivityAt: event.metadata.recordedAt,
        lastActivityEventId: event.metadata.eventId,
      };
    case "SettingsChanged":
      return { ...facts, settings: event.data.settings };
    case "AccountOpened":
      return {
        ...facts,
        accounts: {
          ...facts.accounts,
          [event.data.code]: {
            code: event.data.code,
            accountType: event.data.accountType,
            normalBalance: event.data.normalBalance,
            noOverdraft: event.data.noOverdraft,
          },
        },
      };
    case "MemberRegistered":
      return { ...facts, members: { ...facts.members, [event.data.memberId]: event.data.role } };
    case "JournalEntryPosted": {
      const balances: Record<string, Decimal> = { ...facts.balances };
      for (const [code, delta] of entryDeltas(event.data.lines))
        balances[code] = (balances[code] ?? ZERO).plus(delta);
      let loansByMember = facts.loansByMember;
      for (const line of event.data.lines) {
        if (line.memberId === null || !isLoanAccount(facts, line.account)) continue;
        if (loansByMember === facts.loansByMember) loansByMember = { ...facts.loansByMember };
        const amount = new Decimal(line.amount);
        const signed = line.side === "debit" ? amount : amount.negated();
        (loansByMember as Record<string, Decimal>)[line.memberId] = (
          loansByMember[line.memberId] ?? ZERO
        ).plus(signed);
      }
      return {
        ...facts,
        balances,
        loansByMember,
        lastActivityAt: event.metadata.recordedAt,
        lastActivityEventId: event.metadata.eventId,
      };
    }
    default:
      return facts;
  }
}
