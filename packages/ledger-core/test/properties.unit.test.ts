import { fc, test } from "@fast-check/vitest";
import { isLeft } from "fp-ts/lib/Either.js";
import { describe, expect } from "vitest";
import type { EntryLine, LedgerEvent, LedgerState, RecordedLedgerEvent } from "../src/index.js";
import {
  decide,
  evolve,
  foldLedger,
  GENESIS_PREV_HASH,
  initialLedgerState,
  recordEvents,
  verifyChain,
} from "../src/index.js";
import { arbCommandSequence, arbLedgerHistory, runCommands } from "../src/testing/index.js";

/** Enough runs to find the rare paths (closings, RAT) while the unit tier stays well under 15 s. */
const RUNS = 60;

const sen = (amount: string): bigint => BigInt(amount.replace(".", ""));

const postings = (events: readonly LedgerEvent[]) =>
  events.filter(
    (event): event is Extract<LedgerEvent, { type: "JournalEntryPosted" }> =>
      event.type === "JournalEntryPosted",
  );

/** Debit-positive net per account, rebuilt from the events alone (an independent auditor). */
const trialBalance = (events: readonly LedgerEvent[]): Map<string, bigint> => {
  const net = new Map<string, bigint>();
  for (const posting of postings(events)) {
    for (const line of posting.data.lines) {
      net.set(
        line.account,
        (net.get(line.account) ?? 0n) + (line.side === "debit" ? sen(line.amount) : -sen(line.amount)),
      );
    }
  }
  return net;
};

const record = (events: readonly LedgerEvent[]): RecordedLedgerEvent[] =>
  recordEvents(events, { nextRevision: 0, headHash: GENESIS_PREV_HASH }, (_event, index) => ({
    eventId: `event-${index}`,
    principalId: "bendahara-1",
    role: "treasurer",
    recordedAt: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
    idempotencyKey: `key-${index}`,
    requestHash: null,
    correlationId: null,
  }));

/** A fingerprint of everything in a state, to see that deciding changed nothing. */
const fingerprint = (state: LedgerState): string =>
  JSON.stringify(state, (_key, value) =>
    typeof value === "bigint"
      ? `${value}n`
      : value instanceof Map || value instanceof Set
        ? [...value]
        : value,
  );

describe("ledger properties", () => {
  test.prop([arbCommandSequence()], { numRuns: RUNS })(
    "every posting balances, and so does the whole ledger",
    (commands) => {
      const { events } = runCommands(commands);
      for (const posting of postings(events)) {
        let net = 0n;
        for (const line of posting.data.lines)
          net += line.side === "debit" ? sen(line.amount) : -sen(line.amount);
        expect(net).toBe(0n);
      }
      let total = 0n;
      for (const value of trialBalance(events).values()) total += value;
      expect(total).toBe(0n);
    },
  );

  test.prop([arbCommandSequence()], { numRuns: RUNS })(
    "the trial balance rebuilt from events matches the state, and no noOverdraft account is below zero",
    (commands) => {
      const { events, state } = runCommands(commands);
      const rebuilt = trialBalance(events);
      for (const account of state.accounts.values()) {
        const debitNet = rebuilt.get(account.code) ?? 0n;
        expect(account.balance).toBe(account.normalBalance === "debit" ? debitNet : -debitNet);
        if (account.noOverdraft) expect(account.balance >= 0n).toBe(true);
      }
    },
  );

  test.prop([arbCommandSequence()], { numRuns: RUNS })(
    "every line on a member control account names a member, and the members' balances sum to the account",
    (commands) => {
      const { events, state } = runCommands(commands);
      const controlAccounts = [...state.accounts.values()].filter((account) => account.memberControl);
      expect(controlAccounts.map((account) => account.code)).toEqual([
        "1201",
        "2101",
        "2102",
        "2401",
        "3100",
        "3200",
      ]);
      // An auditor's own sub-ledger, from the events alone: debit-positive net per member and account.
      const perMember = new Map<string, bigint>();
      for (const posting of postings(events)) {
        for (const line of posting.data.lines) {
          if (!controlAccounts.some((account) => account.code === line.account)) continue;
          expect(line.memberId).not.toBeNull();
          const key = `${line.memberId}|${line.account}`;
          const signed = line.side === "debit" ? sen(line.amount) : -sen(line.amount);
          perMember.set(key, (perMember.get(key) ?? 0n) + signed);
        }
      }
      for (const account of controlAccounts) {
        let auditorSum = 0n;
        let stateSum = 0n;
        for (const [key, net] of perMember) if (key.endsWith(`|${account.code}`)) auditorSum += net;
        for (const balances of state.memberBalances.values()) stateSum += balances.get(account.code) ?? 0n;
        const sign = account.normalBalance === "debit" ? 1n : -1n;
        expect(stateSum).toBe(account.balance);
        expect(auditorSum * sign).toBe(account.balance);
      }
      // A member who left holds nothing on any control account any more.
      for (const member of state.members.values()) {
        if (member.exitedOn === null) continue;
        for (const balance of state.memberBalances.get(member.memberId)?.values() ?? [])
          expect(balance).toBe(0n);
      }
    },
  );

  test.prop([arbCommandSequence()], { numRuns: RUNS })(
    "a refused command emits nothing and changes nothing",
    (commands) => {
      let state = initialLedgerState;
      for (const command of commands) {
        const before = fingerprint(state);
        const decision = decide(command, state);
        expect(fingerprint(state)).toBe(before);
        if (isLeft(decision)) continue;
        state = decision.right.reduce(evolve, state);
      }
    },
  );

  test.prop([arbLedgerHistory()], { numRuns: RUNS })(
    "replaying gives the same state, by fold or event by event, and the same head hash",
    (events) => {
      const first = foldLedger(events);
      expect(foldLedger(events)).toEqual(first);
      expect(events.reduce(evolve, initialLedgerState)).toEqual(first);
      const once = verifyChain(record(events));
      const twice = verifyChain(record(events));
      expect(once.ok).toBe(true);
      expect(twice).toEqual(once);
    },
  );

  test.prop([arbLedgerHistory()], { numRuns: RUNS })(
    "a reversal nets its entry to zero on every account",
    (events) => {
      const byId = new Map(postings(events).map((posting) => [posting.data.entryId, posting.data]));
      for (const posting of postings(events)) {
        if (posting.data.reverses === null) continue;
        const original = byId.get(posting.data.reverses);
        expect(original).toBeDefined();
        const net = new Map<string, bigint>();
        const add = (line: EntryLine) =>
          net.set(
            line.account,
            (net.get(line.account) ?? 0n) + (line.side === "debit" ? sen(line.amount) : -sen(line.amount)),
          );
        [...(original?.lines ?? []), ...posting.data.lines].forEach(add);
        for (const value of net.values()) expect(value).toBe(0n);
        const state = foldLedger(events);
        expect(state.entries.get(posting.data.reverses)?.reversedBy).toBe(posting.data.entryId);
      }
    },
  );

  test.prop([arbLedgerHistory({ maxLength: 20 }), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 94 })], {
    numRuns: RUNS,
  })(
    "changing any value of any event's data breaks verifyChain at that revision",
    (events, eventPick, leafPick, shift) => {
      const recorded = record(events);
      const revision = eventPick % recorded.length;
      const target = recorded[revision] as RecordedLedgerEvent;
      const leaves = leafPaths(target.data);
      fc.pre(leaves.length > 0);
      const path = leaves[leafPick % leaves.length] as (string | number)[];
      const tampered = recorded.map((event, index) =>
        index === revision
          ? ({ ...event, data: changeLeaf(event.data, path, shift) } as RecordedLedgerEvent)
          : event,
      );
      expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadRevision: revision });
    },
  );
});

/** The paths of every string, number and boolean inside a value. */
const leafPaths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [prefix];
  return [];
};

/** A copy of `value` with the leaf at `path` changed: one character of a string shifted, a number moved, a boolean flipped. */
const changeLeaf = (value: unknown, path: (string | number)[], shift: number): unknown => {
  const [head, ...rest] = path;
  if (head === undefined) {
    if (typeof value === "boolean") return !value;
    if (typeof value === "number") return value + shift;
    const text = value as string;
    if (text.length === 0) return "x";
    const position = shift % text.length;
    const code = text.charCodeAt(position);
    // shift is 1 to 94, so the printable ASCII character it gives always differs from the original.
    const changed = String.fromCharCode(32 + ((code - 32 + shift) % 95));
    return text.slice(0, position) + changed + text.slice(position + 1);
  }
  if (Array.isArray(value))
    return value.map((item, index) => (index === head ? changeLeaf(item, rest, shift) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: changeLeaf(record[head], rest, shift) };
};
