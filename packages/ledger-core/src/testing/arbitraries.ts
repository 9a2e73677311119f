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

/** Postable accounts the random entries use: cash (noOverdraft), loans, savings, equity, income, expense. */
const DEBIT_ACCOUNTS = ["1101", "1102", "1201", "1301", "5101", "6101", "6104"] as const;
const CREDIT_ACCOUNTS = ["1101", "2101", "3100", "3200", "4101", "4201", "4301", "2201"] as const;
const MEMBER_IDS = ["A-0001", "A-0002", "A-0003", "A-0004"] as const;
const ENTRY_POOL_SIZE = 40;
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

const entryId = (index: number): string => `entry-${index}`;
const arbEntryId = () => fc.integer({ min: 0, max: ENTRY_POOL_SIZE - 1 }).map(entryId);

/** One to three debit/credit pairs of equal amounts, so the entry balances. */
export const arbBalancedLines = (): fc.Arbitrary<EntryLine[]> =>
  fc
    .array(
      fc.record({
        debitAccount: fc.constantFrom(...DEBIT_ACCOUNTS),
        creditAccount: fc.constantFrom(...CREDIT_ACCOUNTS),
        amount: arbAmount(),
        memberId: fc.option(fc.constantFrom(...MEMBER_IDS), { nil: null }),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((pairs) =>
      pairs.flatMap(({ debitAccount, creditAccount, amount, memberId }) => [
        line(debitAccount, "debit", amount, null),
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

const arbStep = (): fc.Arbitrary<LedgerCommand> =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .record({ entryId: arbEntryId(), date: arbDate(), lines: arbBalancedLines() })
        .map((data) => cmd("PostJournalEntry", { ...data, memo: "transaksi acak" })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ entryId: arbEntryId(), date: arbDate(), lines: arbUnbalancedLines() })
        .map((data) => cmd("PostJournalEntry", { ...data, memo: "tidak seimbang" })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ index: fc.integer({ min: 0, max: ENTRY_POOL_SIZE - 1 }), date: arbDate() })
        .map(({ index, date }) =>
          cmd("ReverseJournalEntry", {
            entryId: entryId(index),
            reversalEntryId: `reversal-${index}`,
            date,
            reason: "salah akun",
          }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ entryId: arbEntryId(), self: fc.boolean() })
        .map(({ entryId, self }) => cmd("ApproveJournalEntry", { entryId }, self ? treasurer : approver)),
    },
    {
      weight: 1,
      arbitrary: arbEntryId().map((entryId) =>
        cmd("RejectJournalEntry", { entryId, reason: "tidak wajar" }, approver),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .option(fc.bigInt({ min: 0n, max: 60_000_000_00n }), { nil: null })
        .map((sen) =>
          cmd("ChangeSettings", { settings: { approvalThreshold: sen === null ? null : senToWire(sen) } }),
        ),
    },
    {
      weight: 1,
      arbitrary: arbDate().map((date) => cmd("ClosePeriod", { period: date.slice(0, 7) })),
    },
    {
      weight: 1,
      arbitrary: arbDate().map((date) =>
        cmd("ReopenPeriod", { period: date.slice(0, 7), reason: "koreksi" }),
      ),
    },
    { weight: 1, arbitrary: fc.constant(cmd("CloseFiscalYear", { year: 2025, entryId: "closing-2025" })) },
    {
      weight: 1,
      arbitrary: fc.constant(
        cmd("RecordRatDecision", {
          year: 2025,
          decidedOn: "2026-03-15",
          allocation: shuAllocationDefault,
          entryId: "appropriation-2025",
        }),
      ),
    },
  );

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
    .array(arbStep(), { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 60 })
    .map((steps) => [...openingCommands(), ...steps]);

/**
 * A valid history of a kkmp-chart ledger over 2025 and 2026: members, entries (some back-dated, some
 * through maker-checker), reversals, closed and reopened months, possibly the 2025 closing and its RAT.
 */
export const arbLedgerHistory = (options: { maxLength?: number } = {}): fc.Arbitrary<LedgerEvent[]> =>
  arbCommandSequence(options).map((commands) => [...runCommands(commands).events]);
