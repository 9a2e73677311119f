import { MEMBER_SHU_PAYABLE_ACCOUNT } from "@bukubesar/ledger-core";
import { senToWire, wireToSen } from "@bukubesar/money";
import type { LedgerReadModel } from "./readModel.js";
import { entriesBetween } from "./readModel.js";
import { parseReportDate } from "./sen.js";
import { compareCodes, signedBalance } from "./trialBalance.js";

/**
 * A member's statement as of a date: simpanan pokok, wajib and sukarela, loans, and any other account a
 * line carrying the member's id touched; each with its balance (signed by the account's normal side) and
 * its lines with a running balance.
 */
export interface MemberStatement {
  readonly asOf: string;
  readonly member: {
    readonly memberId: string;
    readonly name: string;
    readonly joinedOn: string;
    readonly role: string;
  } | null;
  readonly memberId: string;
  readonly simpananPokok: string;
  readonly simpananWajib: string;
  readonly simpananSukarela: string;
  readonly pinjaman: string;
  /** The SHU owed to the member (2401 Utang SHU): credited by the RAT, lowered as it is paid or capitalised. */
  readonly shuOwed: string;
  readonly accounts: readonly MemberAccountStatement[];
}

export interface MemberAccountStatement {
  readonly code: string;
  readonly name: string;
  readonly category: MemberAccountCategory;
  readonly balance: string;
  readonly lines: ReadonlyArray<{
    readonly date: string;
    readonly entryId: string;
    readonly memo: string;
    readonly debit?: string;
    readonly credit?: string;
    readonly balance: string;
  }>;
}

export type MemberAccountCategory =
  | "simpananPokok"
  | "simpananWajib"
  | "simpananSukarela"
  | "pinjaman"
  | "utangShu"
  | "lain";

/** Which accounts hold which kind of member balance; defaults follow docs/domain.md section 3. */
export interface MemberStatementOptions {
  readonly simpananPokok?: readonly string[];
  readonly simpananWajib?: readonly string[];
  readonly simpananSukarela?: readonly string[];
  readonly pinjaman?: readonly string[];
  readonly utangShu?: readonly string[];
}

export const DEFAULT_MEMBER_ACCOUNTS: Required<MemberStatementOptions> = {
  simpananPokok: ["3100"],
  simpananWajib: ["3200"],
  simpananSukarela: ["2101", "2102"],
  pinjaman: ["1201"],
  utangShu: [MEMBER_SHU_PAYABLE_ACCOUNT],
};

/** The categories a member's account may be in, in the order an account is matched against them. */
const MEMBER_ACCOUNT_CATEGORIES = [
  "simpananPokok",
  "simpananWajib",
  "simpananSukarela",
  "pinjaman",
  "utangShu",
] as const;

type MemberLine = MemberAccountStatement["lines"][number];

/** The member's lines up to `asOfDay`, per account with the running balance, and each account's balance. */
const memberLinesUntil = (
  model: LedgerReadModel,
  memberId: string,
  asOfDay: number,
): { readonly balances: Map<string, bigint>; readonly lines: Map<string, MemberLine[]> } => {
  const balances = new Map<string, bigint>();
  const lines = new Map<string, MemberLine[]>();
  for (const entry of entriesBetween(model, 0, asOfDay)) {
    for (const line of entry.lines) {
      const account = line.memberId === memberId ? model.accounts.get(line.account) : undefined;
      if (account === undefined) continue;
      const sen = wireToSen(line.amount);
      const delta = line.side === "debit" ? signedBalance(account, sen, 0n) : signedBalance(account, 0n, sen);
      const balance = (balances.get(line.account) ?? 0n) + delta;
      balances.set(line.account, balance);
      linesOf(lines, line.account).push(memberLine(entry, line, sen, balance));
    }
  }
  return { balances, lines };
};

const linesOf = (lines: Map<string, MemberLine[]>, code: string): MemberLine[] => {
  let accountLines = lines.get(code);
  if (accountLines === undefined) {
    accountLines = [];
    lines.set(code, accountLines);
  }
  return accountLines;
};

const memberLine = (
  entry: { readonly date: string; readonly entryId: string; readonly memo: string },
  line: { readonly side: string; readonly memo: string | null },
  sen: bigint,
  balance: bigint,
): MemberLine => ({
  date: entry.date,
  entryId: entry.entryId,
  memo: line.memo ?? entry.memo,
  ...(line.side === "debit" ? { debit: senToWire(sen) } : { credit: senToWire(sen) }),
  balance: senToWire(balance),
});

/** Returns null when the member is neither registered nor named on any line. */
export const memberStatement = (
  model: LedgerReadModel,
  memberId: string,
  asOf: string,
  options: MemberStatementOptions = {},
): MemberStatement | null => {
  const asOfDay = parseReportDate(asOf);
  const registered = model.members.get(memberId) ?? null;
  const totals = model.memberTotals.get(memberId);
  if (registered === null && totals === undefined) return null;
  const accountsOf = { ...DEFAULT_MEMBER_ACCOUNTS, ...options };
  const categoryOf = (code: string): MemberAccountCategory =>
    MEMBER_ACCOUNT_CATEGORIES.find((category) => accountsOf[category].includes(code)) ?? "lain";
  const { balances, lines } = memberLinesUntil(model, memberId, asOfDay);
  const byCategory = new Map<MemberAccountCategory, bigint>();
  const accounts = [...balances.entries()]
    .sort(([left], [right]) => compareCodes(left, right))
    .map(([code, balance]) => {
      const category = categoryOf(code);
      byCategory.set(category, (byCategory.get(category) ?? 0n) + balance);
      return {
        code,
        name: model.accounts.get(code)?.name ?? code,
        category,
        balance: senToWire(balance),
        lines: lines.get(code) ?? [],
      };
    });
  return {
    asOf,
    member: registered === null ? null : { ...registered },
    memberId,
    simpananPokok: senToWire(byCategory.get("simpananPokok") ?? 0n),
    simpananWajib: senToWire(byCategory.get("simpananWajib") ?? 0n),
    simpananSukarela: senToWire(byCategory.get("simpananSukarela") ?? 0n),
    pinjaman: senToWire(byCategory.get("pinjaman") ?? 0n),
    shuOwed: senToWire(byCategory.get("utangShu") ?? 0n),
    accounts,
  };
};
