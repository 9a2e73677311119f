import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { chainHash } from "./chainHash.js";
import { LinesKeys } from "./linesKey.js";
import { ENTRY_POSTED, ENTRY_PROPOSED, ENTRY_REVERSED, EntryTable } from "./verifyEntryTable.js";
import { firstIllFormedString } from "./wellFormed.js";

/** The parts of a stored event the verifier reads. */
export interface VerifiableEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  /** True when the reader has proved every string of data and metadata well-formed from their texts. */
  readonly stringsWellFormed?: boolean;
}

/** One account's totals from the verifier's own fold, in sen. */
export interface IndependentAccountTotals {
  readonly code: string;
  readonly name: string | null;
  readonly normalBalance: "debit" | "credit" | null;
  debitSen: bigint;
  creditSen: bigint;
}

export interface LedgerProblem {
  readonly streamId: string;
  readonly revision: number;
  readonly reason: string;
}

export type LedgerVerdict =
  | {
      readonly ok: true;
      readonly streamId: string;
      readonly events: number;
      readonly headRevision: number;
      readonly headHash: string;
      readonly accounts: ReadonlyMap<string, IndependentAccountTotals>;
      readonly postedEntries: number;
    }
  | ({ readonly ok: false } & LedgerProblem);

/** A positive wire amount: digits, optionally a period and one or two digits; at most fifteen integer digits. */
const LINE_AMOUNT_PATTERN = /^([0-9]{1,15})(?:\.([0-9]{1,2}))?$/;

/**
 * A total or balance: any number of integer digits (a sum of lines at the limit passes fifteen digits),
 * an optional minus, and optionally a period with one or two digits.
 */
const TOTAL_AMOUNT_PATTERN = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/;

/**
 * Entries the ledger builds itself at year end move whole account totals, so their lines are not held to
 * the fifteen digits of a line a person types.
 */
const SYSTEM_ENTRY_KINDS: ReadonlySet<unknown> = new Set(["closing", "appropriation"]);

/** A line amount in sen, or null when malformed; `unlimited` for the lines of year-end entries. */
const amountToSen = (amount: unknown, unlimited = false): bigint | null => {
  if (typeof amount !== "string") return null;
  if (unlimited) {
    const sen = signedAmountToSen(amount);
    return sen !== null && sen >= 0n && !amount.startsWith("-") ? sen : null;
  }
  const match = LINE_AMOUNT_PATTERN.exec(amount);
  if (match === null) return null;
  const [, integerDigits = "", fractionDigits = ""] = match;
  return BigInt(integerDigits + fractionDigits.padEnd(2, "0"));
};

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

/** A reference to an entry that may be recorded after the event naming it (closing and RAT entries). */
interface DeferredReference {
  readonly revision: number;
  readonly entryId: string;
  readonly what: string;
}

/**
 * Walks one ledger stream in revision order and checks everything that can be checked from the log
 * alone: revisions contiguous from 0, the first event a LedgerOpened, every prevHash and hash, every
 * entry balanced, reversals and approvals pointing at real entries. It also folds the balances itself
 * (debit and credit per account, from posted entries only), so the projections can be compared with a
 * computation they had no part in. After the first problem it stops checking: every later link
 * depends on the broken one, and the auditor needs the FIRST bad position.
 */
export class LedgerVerifier {
  /** Where the first problem was found, so a hash mismatch found elsewhere can be ordered against it. */
  private problemStage: "before-hash" | "after-hash" | null = null;
  private expectedRevision = 0;
  private previousHash = GENESIS_PREV_HASH;
  private problem: LedgerProblem | null = null;
  private readonly accounts = new Map<string, IndependentAccountTotals>();
  /** Member control accounts (docs/accounting.md, section 2): every posted line on them names a member. */
  private readonly memberControlAccounts = new Set<string>();
  /**
   * The entries proposed, posted and reversed, with a key of each posted entry's id and lines
   * (linesKey.ts), so that a reversal posted later can be checked to mirror its original without keeping
   * the original's lines.
   */
  private readonly entries: EntryTable;
  private readonly linesKeys = new LinesKeys();
  private readonly deferredReferences: DeferredReference[] = [];
  private readonly watchedRevisions = new Set<number>();
  private readonly watchedHashes = new Map<number, string>();

  /**
   * With `hashesCheckedElsewhere`, every check runs except recomputing the hash itself (a worker does
   * that, see chainHashCheck.ts): each event's stored hash is taken as the chain's next link, and
   * `firstProblemBefore` merges the worker's first mismatch with this verifier's first problem.
   * `expectedEvents`, the stream's length when known, sizes the table of entries (an entry is met in
   * one event at least).
   */
  constructor(
    readonly streamId: string,
    private readonly hashesCheckedElsewhere = false,
    expectedEvents = 0,
  ) {
    this.entries = new EntryTable(expectedEvents);
  }

  /**
   * Whether this verifier's own first problem (if any) comes before a hash mismatch at `revision`, as
   * verifying in order would have found it: an earlier revision, or the same revision but a check that
   * runs before the hash (revision, first event, prevHash link).
   */
  problemComesFirst(revision: number): boolean {
    if (this.problem === null) return false;
    if (this.problemStage === null) return false;
    return (
      this.problem.revision < revision ||
      (this.problem.revision === revision && this.problemStage === "before-hash")
    );
  }

  /** Asks the verifier to remember the hash at this revision, so a checkpoint can be compared with it. */
  watch(revision: number): void {
    this.watchedRevisions.add(revision);
  }

  /** The verified hash at a watched revision, or undefined when the stream never reached it soundly. */
  hashAt(revision: number): string | undefined {
    return this.watchedHashes.get(revision);
  }

  get failed(): boolean {
    return this.problem !== null;
  }

  /**
   * The objects this verifier keeps that grow with the stream (ids that are not canonical UUIDs, the
   * references checked at the end, watched hashes): a test's measure that the rest of an entry is let go.
   */
  get heldObjects(): number {
    return this.entries.heldStrings + this.deferredReferences.length + this.watchedHashes.size;
  }

  accept(event: VerifiableEvent): void {
    if (this.problem !== null) return;
    const reason = this.check(event);
    if (reason !== null) {
      this.problem = { streamId: this.streamId, revision: reason.revision, reason: reason.text };
      this.problemStage = reason.stage;
    }
  }

  /** The verdict after the last event; `expectedHead` lets a checkpoint demand a longer stream. */
  finish(): LedgerVerdict {
    if (this.problem === null) {
      for (const reference of this.deferredReferences) {
        if (!this.isPosted(reference.entryId)) {
          this.problem = {
            streamId: this.streamId,
            revision: reference.revision,
            reason: `${reference.what} names entry ${reference.entryId}, which is never posted`,
          };
          break;
        }
      }
    }
    if (this.problem !== null) return { ok: false, ...this.problem };
    return {
      ok: true,
      streamId: this.streamId,
      events: this.expectedRevision,
      headRevision: this.expectedRevision - 1,
      headHash: this.previousHash,
      accounts: this.accounts,
      postedEntries: this.entries.posted,
    };
  }

  private check(
    event: VerifiableEvent,
  ): { revision: number; text: string; stage: "before-hash" | "after-hash" } | null {
    const revision = this.expectedRevision;
    if (event.revision !== revision) {
      return event.revision > revision
        ? {
            revision,
            stage: "before-hash",
            text: `revision ${revision} is missing: the next stored event has revision ${event.revision}`,
          }
        : {
            revision,
            stage: "before-hash",
            text: `revision ${event.revision} appears again where revision ${revision} was expected`,
          };
    }
    if (revision === 0 && event.type !== "LedgerOpened") {
      return {
        revision,
        stage: "before-hash",
        text: `the stream starts with ${event.type}, not LedgerOpened`,
      };
    }
    const metadata = asRecord(event.metadata);
    if (metadata.prevHash !== this.previousHash) {
      return {
        revision,
        stage: "before-hash",
        text: `prevHash ${String(metadata.prevHash)} does not match the hash of the previous event ${this.previousHash}`,
      };
    }
    let recomputed: string;
    if (this.hashesCheckedElsewhere) recomputed = String(metadata.hash);
    else {
      recomputed = chainHash(this.previousHash, event);
      if (metadata.hash !== recomputed)
        return { revision, stage: "before-hash", text: hashMismatchText(String(metadata.hash), recomputed) };
    }
    const illFormed =
      event.stringsWellFormed === true
        ? null
        : firstIllFormedString({ data: event.data, metadata: event.metadata });
    if (illFormed !== null) return { revision, stage: "after-hash", text: illFormedText(illFormed) };
    const invariant = this.checkInvariants(event);
    if (invariant !== null) return { revision, stage: "after-hash", text: invariant };
    this.previousHash = recomputed;
    if (this.watchedRevisions.has(revision)) this.watchedHashes.set(revision, recomputed);
    this.expectedRevision = revision + 1;
    return null;
  }

  /** Returns what is wrong with the event's meaning, or null; updates the fold when it is sound. */
  private checkInvariants(event: VerifiableEvent): string | null {
    const data = asRecord(event.data);
    switch (event.type) {
      case "AccountOpened":
        return this.openAccount(data);
      case "AccountTagged": {
        // Lines posted before the tag were recorded under no such rule; from the tag on, each names a member.
        const code = String(data.code);
        if (!this.accounts.has(code)) return `AccountTagged names account ${code}, which was never opened`;
        if (data.memberControl === true) this.memberControlAccounts.add(code);
        return null;
      }
      case "JournalEntryProposed": {
        const entryId = String(data.entryId);
        const linesProblem = this.checkLines(entryId, data.lines, false);
        if (typeof linesProblem === "string") return linesProblem;
        this.entries.mark(entryId, ENTRY_PROPOSED);
        return null;
      }
      case "JournalEntryApproved":
      case "JournalEntryRejected": {
        const entryId = String(data.entryId);
        if ((this.entries.flagsOf(entryId) & ENTRY_PROPOSED) === 0) {
          return `${event.type} names entry ${entryId}, which was never proposed`;
        }
        return null;
      }
      case "JournalEntryPosted":
        return this.postEntry(data);
      case "JournalEntryReversed": {
        const entryId = String(data.entryId);
        const flags = this.entries.flagsOf(entryId);
        if ((flags & ENTRY_POSTED) === 0) {
          return `JournalEntryReversed names entry ${entryId}, which is not posted`;
        }
        if ((flags & ENTRY_REVERSED) !== 0) return `entry ${entryId} is reversed twice`;
        this.entries.mark(entryId, ENTRY_REVERSED);
        return null;
      }
      case "FiscalYearClosed":
      case "RatDecisionRecorded": {
        if (typeof data.entryId === "string") {
          this.deferredReferences.push({
            revision: this.expectedRevision,
            entryId: data.entryId,
            what: event.type,
          });
        }
        return null;
      }
      default:
        return null;
    }
  }

  private openAccount(data: Record<string, unknown>): string | null {
    const code = String(data.code);
    if (this.accounts.has(code) && this.accounts.get(code)?.name !== null) {
      return `account ${code} is opened twice`;
    }
    const existing = this.accounts.get(code);
    const normalBalance = data.normalBalance === "credit" ? "credit" : "debit";
    this.accounts.set(code, {
      code,
      name: typeof data.name === "string" ? data.name : null,
      normalBalance,
      debitSen: existing?.debitSen ?? 0n,
      creditSen: existing?.creditSen ?? 0n,
    });
    if (data.memberControl === true) this.memberControlAccounts.add(code);
    return null;
  }

  private isPosted(entryId: string): boolean {
    return (this.entries.flagsOf(entryId) & ENTRY_POSTED) !== 0;
  }

  private postEntry(data: Record<string, unknown>): string | null {
    const entryId = String(data.entryId);
    if (this.isPosted(entryId)) return `entry ${entryId} is posted twice`;
    if (data.reverses !== null && data.reverses !== undefined) {
      const original = String(data.reverses);
      if (!this.isPosted(original)) {
        return `reversal ${entryId} reverses entry ${original}, which is not posted before it`;
      }
    }
    const lines = this.checkLines(entryId, data.lines, true, SYSTEM_ENTRY_KINDS.has(data.kind));
    if (typeof lines === "string") return lines;
    if (data.reverses !== null && data.reverses !== undefined) {
      const original = String(data.reverses);
      const mirrored = this.linesKeys.keyOf(original, lines, true, this.entries.uuidWords);
      if (!this.entries.postedWithKey(original, mirrored))
        return `reversal ${entryId} does not mirror entry ${original}: its lines must be the original's with debit and credit swapped (the same accounts, members and amounts)`;
    }
    this.entries.post(entryId, this.linesKeys.keyOf(entryId, lines, false, this.entries.uuidWords));
    return null;
  }

  /**
   * Checks that an entry's lines are well formed and balance; when `post` is true and they do, adds
   * them to the fold. Sums are in sen as bigints, so nothing is ever rounded. Gives the lines parsed, or
   * what is wrong with them.
   */
  private checkLines(
    entryId: string,
    lines: unknown,
    post: boolean,
    systemEntry = false,
  ): string | readonly ParsedLine[] {
    if (!Array.isArray(lines) || lines.length < 2) return `entry ${entryId} has fewer than two lines`;
    const parsed = parsedLines(entryId, lines, systemEntry);
    if (typeof parsed === "string") return parsed;
    let debitSen = 0n;
    let creditSen = 0n;
    for (const line of parsed) {
      if (line.side === "debit") debitSen += line.sen;
      else creditSen += line.sen;
    }
    if (debitSen !== creditSen) {
      return `entry ${entryId} does not balance: debit ${formatSen(debitSen)}, credit ${formatSen(creditSen)}`;
    }
    if (!post) return parsed;
    const unnamed = this.unnamedMemberLine(lines);
    if (unnamed !== null) {
      return `entry ${entryId} line ${unnamed.index + 1} posts to member control account ${unnamed.account} without a member: the members' balances no longer sum to ${unnamed.account}`;
    }
    for (const line of parsed) this.addToTotals(line);
    return parsed;
  }

  private addToTotals(line: ParsedLine): void {
    let totals = this.accounts.get(line.account);
    if (totals === undefined) {
      totals = { code: line.account, name: null, normalBalance: null, debitSen: 0n, creditSen: 0n };
      this.accounts.set(line.account, totals);
    }
    if (line.side === "debit") totals.debitSen += line.sen;
    else totals.creditSen += line.sen;
  }

  /**
   * The first line on a member control account that names no member. Every other line there carries a
   * member, so while none is unnamed the members' balances add up to the account exactly.
   */
  private unnamedMemberLine(lines: readonly unknown[]): { index: number; account: string } | null {
    for (const [index, rawLine] of lines.entries()) {
      const line = asRecord(rawLine);
      const account = String(line.account);
      if (!this.memberControlAccounts.has(account)) continue;
      if (typeof line.memberId !== "string" || line.memberId.length === 0) return { index, account };
    }
    return null;
  }
}

interface ParsedLine {
  readonly account: string;
  readonly side: "debit" | "credit";
  readonly sen: bigint;
  readonly memberId: string | null;
}

/** An entry's lines with their amounts in sen, or what is wrong with the first line that is not valid. */
const parsedLines = (
  entryId: string,
  lines: readonly unknown[],
  systemEntry: boolean,
): ParsedLine[] | string => {
  const parsed: ParsedLine[] = [];
  for (const [index, rawLine] of lines.entries()) {
    const line = asRecord(rawLine);
    const sen = amountToSen(line.amount, systemEntry);
    if (sen === null || sen === 0n) {
      return `entry ${entryId} line ${index + 1} has an invalid amount ${JSON.stringify(line.amount)}`;
    }
    if (line.side !== "debit" && line.side !== "credit") {
      return `entry ${entryId} line ${index + 1} has an invalid side ${JSON.stringify(line.side)}`;
    }
    if (typeof line.account !== "string") return `entry ${entryId} line ${index + 1} has no account`;
    parsed.push({
      account: line.account,
      side: line.side,
      sen,
      memberId: typeof line.memberId === "string" ? line.memberId : null,
    });
  }
  return parsed;
};

/** The words for an event holding a lone surrogate (recorded by imports before they read JSON strictly). */
export const illFormedText = (pointer: string): string =>
  `the event holds a string with a lone surrogate at ${pointer}: RFC 8785 canonicalizers refuse it, so no other tool can check this event's hash (the API refuses such input; imports did not before they used its strict JSON reader)`;

/** The words for an event whose stored hash is not the hash of its contents. */
export const hashMismatchText = (stored: string, recomputed: string): string =>
  `hash mismatch: stored ${stored}, recomputed ${recomputed} (the event was altered)`;

/** Sen as a wire amount with two fraction digits and a minus for negatives. */
export const formatSen = (sen: bigint): string => {
  const negative = sen < 0n;
  const digits = (negative ? -sen : sen).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

/**
 * Parses a signed total or balance ("-312500.13", "0.00", "1999999999999999.98") into sen, or null when
 * malformed. Unlike a line amount it has no digit limit: totals are exact at any size.
 */
export const signedAmountToSen = (amount: unknown): bigint | null => {
  if (typeof amount !== "string") return null;
  const match = TOTAL_AMOUNT_PATTERN.exec(amount);
  if (match === null) return null;
  const [, sign, integerDigits = "", fractionDigits = ""] = match;
  const magnitude = BigInt(integerDigits + fractionDigits.padEnd(2, "0"));
  return sign === "-" ? -magnitude : magnitude;
};
