/**
 * fast-check arbitraries for ledgers: random command sequences on a kkmp-chart ledger (some of them
 * refused, as in real life) and random valid histories (the accepted events of such a sequence).
 */
import { senToWire } from "@bukubesar/money";
import fc from "fast-check";
import { chartTemplates } from "../chart.js";
import type { Actor, LedgerCommand } from "../commands.js";
import type { EntryLine, LedgerEvent } from "../events.js";
import { shuAllocationDefault } from "../shuAllocation.js";
import { approver, TEST_COOP_ID, TEST_REGION_CODE, treasurer } from "./fixtures.js";
import { runCommands } from "./runCommands.js";

/**
 * Postable accounts the random entries use: cash (noOverdraft), loans, savings (debited too, so members
 * withdraw), equity, income, expense. Member control accounts get lines with and without a member, so the
 * sequences exercise the member controls' refusals as well as their acceptances.
 */
const DEBIT_ACCOUNTS = ["1101", "1102", "1201", "1301", "2101", "3200", "5101", "6101", "6104"] as const;
const CREDIT_ACCOUNTS = ["1101", "2101", "3100", "3200", "4101", "4201", "4301", "2201"] as const;
const MEMBER_IDS = ["A-0001", "A-0002", "A-0003", "A-0004"] as const;
const YEARS = [2025, 2026] as const;

export const arbAmount = (maxSen = 50_000_000_00n): fc.Arbitrary<string> =>
  fc.bigInt({ min: 1n, max: maxSen }).map((sen) => senToWire(sen));

export const arbDate = (): fc.Arbitrary<string> =>
  fc
    .record({
      year: fc.constantFrom(...YEARS),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
    })
    .map(
      ({ year, month, day }) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    );

/** One to three debit/credit pairs of equal amounts, so the entry balances. */
export const arbBalancedLines = (): fc.Arbitrary<EntryLine[]> =>
  fc
    .array(
      fc.record({
        debitAccount: fc.constantFrom(...DEBIT_ACCOUNTS),
        creditAccount: fc.constantFrom(...CREDIT_ACCOUNTS),
        amount: arbAmount(),
        memberId: fc.option(fc.constantFrom(...MEMBER_IDS), { nil: null }),
        debitMemberId: fc.option(fc.constantFrom(...MEMBER_IDS), { nil: null }),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((pairs) =>
      pairs.flatMap(({ debitAccount, creditAccount, amount, memberId, debitMemberId }) => [
        line(debitAccount, "debit", amount, debitMemberId),
        line(creditAccount, "credit", amount, memberId),
      ]),
    );

const line = (
  account: string,
  side: "debit" | "credit",
  amount: string,
  memberId: string | null,
): EntryLine => ({
  account,
  side,
  amount,
  memberId,
  unit: null,
  counterparty: memberId === null ? null : "member",
  memo: null,
});

const cmd = (type: LedgerCommand["type"], data: unknown, actor: Actor = treasurer): LedgerCommand =>
  ({ type, data, actor }) as LedgerCommand;

/** An unbalanced entry now and then, so the sequence also exercises refusals. */
const arbUnbalancedLines = (): fc.Arbitrary<EntryLine[]> =>
  fc
    .tuple(arbAmount(), arbAmount())
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [line("1101", "debit", a, null), line("4101", "credit", b, null)]);

/**
 * A step refers to earlier entries by `pick`, resolved against the entries posted so far in the same
 * sequence (one of the three latest), so approvals and reversals mostly hit a real entry.
 */
type Step =
  | { readonly kind: "post"; readonly date: string; readonly lines: EntryLine[]; readonly memo: string }
  | {
      readonly kind: "reverse" | "approve" | "selfApprove" | "reject";
      readonly pick: number;
      readonly date: string;
    }
  | { readonly kind: "command"; readonly command: LedgerCommand }
  | {
      readonly kind: "exit";
      readonly memberId: string;
      readonly date: string;
      readonly settlementAccount: string;
    }
  | { readonly kind: "reverseExit"; readonly memberId: string; readonly date: string };

const ENTRY_PICK_WINDOW = 3;

const arbStep = (): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 14,
      arbitrary: fc
        .record({ date: arbDate(), lines: arbBalancedLines() })
        .map(({ date, lines }): Step => ({ kind: "post", date, lines, memo: "transaksi acak" })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ date: arbDate(), lines: arbUnbalancedLines() })
        .map(({ date, lines }): Step => ({ kind: "post", date, lines, memo: "tidak seimbang" })),
    },
    {
      weight: 4,
      arbitrary: fc
        .record({
          kind: fc.constantFrom("reverse", "approve", "approve", "selfApprove", "reject"),
          pick: fc.nat(),
          date: arbDate(),
        })
        .map((step): Step => step),
    },
    {
      weight: 1,
      arbitrary: fc.option(fc.bigInt({ min: 0n, max: 60_000_000_00n }), { nil: null }).map(
        (sen): Step => ({
          kind: "command",
          command: cmd("ChangeSettings", {
            settings: { approvalThreshold: sen === null ? null : senToWire(sen) },
          }),
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: arbDate().map(
        (date): Step => ({ kind: "command", command: cmd("ClosePeriod", { period: date.slice(0, 7) }) }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          memberId: fc.constantFrom(...MEMBER_IDS),
          date: arbDate(),
          settlementAccount: fc.constantFrom("1101", "2103"),
        })
        .map((exit): Step => ({ kind: "exit", ...exit })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ memberId: fc.constantFrom(...MEMBER_IDS), date: arbDate() })
        .map((reversal): Step => ({ kind: "reverseExit", ...reversal })),
    },
    {
      weight: 1,
      arbitrary: arbDate().map(
        (date): Step => ({
          kind: "command",
          command: cmd("ReopenPeriod", { period: date.slice(0, 7), reason: "koreksi" }),
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant<Step>({
        kind: "command",
        command: cmd("CloseFiscalYear", { year: 2025, entryId: "closing-2025", today: "2026-01-05" }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<"close" | "ratDecision">("close", "ratDecision").map(
        (step): Step => ({
          kind: "command",
          command: cmd("ApproveYearEndStep", { year: 2025, step }, approver),
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant<Step>({
        kind: "command",
        command: cmd("RecordRatDecision", {
          year: 2025,
          decidedOn: "2026-03-15",
          allocation: shuAllocationDefault,
          entryId: "appropriation-2025",
        }),
      }),
    },
  );

/** Turns steps into commands, giving each posting a fresh entry id and resolving references. */
const toCommands = (steps: readonly Step[]): LedgerCommand[] => {
  const entryIds: string[] = [];
  return steps.flatMap((step, position): LedgerCommand[] => {
    if (step.kind === "command") return [step.command];
    if (step.kind === "exit") {
      const { memberId, date, settlementAccount } = step;
      const data = { memberId, date, settlementAccount, reason: "keluar", entryId: `exit-${position}` };
      // Above the approval threshold the exit waits: later steps may approve or reject it like an entry.
      entryIds.push(data.entryId);
      return [cmd("ExitMember", data)];
    }
    if (step.kind === "reverseExit") {
      const { memberId, date } = step;
      const data = { memberId, date, reason: "salah catat", reversalEntryId: `exit-reversal-${position}` };
      return [cmd("ReverseMemberExit", data)];
    }
    if (step.kind === "post") {
      const entryId = `entry-${position}`;
      entryIds.push(entryId);
      return [cmd("PostJournalEntry", { entryId, date: step.date, memo: step.memo, lines: step.lines })];
    }
    if (entryIds.length === 0) return [];
    const window = Math.min(entryIds.length, ENTRY_PICK_WINDOW);
    const entryId = entryIds[entryIds.length - 1 - (step.pick % window)] as string;
    switch (step.kind) {
      case "reverse":
        return [
          cmd("ReverseJournalEntry", {
            entryId,
            reversalEntryId: `reversal-${position}`,
            date: step.date,
            reason: "salah akun",
          }),
        ];
      case "approve":
        return [cmd("ApproveJournalEntry", { entryId }, approver)];
      case "selfApprove":
        return [cmd("ApproveJournalEntry", { entryId }, treasurer)];
      case "reject":
        return [cmd("RejectJournalEntry", { entryId, reason: "tidak wajar" }, approver)];
      default:
        return [];
    }
  });
};

/** The opening of a kkmp-chart ledger with a few members. */
export const openingCommands = (): LedgerCommand[] => [
  cmd(
    "OpenLedger",
    {
      coopId: TEST_COOP_ID,
      name: "KKMP Mangunharjo",
      regionCode: TEST_REGION_CODE,
      accounts: chartTemplates.kkmp,
    },
    { principalId: "adm-1", role: "admin" },
  ),
  ...MEMBER_IDS.map((memberId, index) =>
    cmd("RegisterMember", { memberId, name: `Anggota ${index + 1}`, joinedOn: "2025-01-02", role: "member" }),
  ),
];

/** A random command sequence on a freshly opened kkmp ledger; some commands will be refused. */
export const arbCommandSequence = (
  options: { minLength?: number; maxLength?: number } = {},
): fc.Arbitrary<LedgerCommand[]> =>
  fc
    .array(arbStep(), {
      minLength: options.minLength ?? 1,
      maxLength: options.maxLength ?? 60,
      size: "medium",
    })
    .map((steps) => [...openingCommands(), ...toCommands(steps)]);

/**
 * A valid history of a kkmp-chart ledger over 2025 and 2026: members, entries (some back-dated, some
 * through maker-checker), reversals, closed and reopened months, possibly the 2025 closing and its RAT.
 */
export const arbLedgerHistory = (options: { maxLength?: number } = {}): fc.Arbitrary<LedgerEvent[]> =>
  arbCommandSequence(options).map((commands) => [...runCommands(commands).events]);

/**
 * Any JSON value (no undefined, NaN or infinities) whose keys and strings come from `strings`: the
 * canonical JSON, chain hash and request hash tests each pass the strings they can take (the reference
 * serialiser refuses lone surrogates, the request hash takes them).
 */
export const arbJsonValue = (strings: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      strings,
      fc.array(tie("value"), { maxLength: 5 }),
      fc.dictionary(strings, tie("value"), { maxKeys: 6 }),
    ),
  })).value;
