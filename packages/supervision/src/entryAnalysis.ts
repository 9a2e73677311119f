import type { EntryLine } from "@bukubesar/ledger-core";
import { wireToSen } from "@bukubesar/money";
import type { CooperativeFacts } from "./cooperativeFacts.js";
import type { LocalDateTime } from "./localTime.js";
import { localDateTimeAt } from "./localTime.js";

const DIGIT_ZERO = 48;
const DOT = 46;
/** Up to 15 digits of sen are exact as a JS number (below 2^53), so the fast path stays exact. */
const FAST_PARSE_DIGITS_MAX = 15;

/**
 * A wire amount in sen. The common form ("150000.00": digits, a dot, two digits) is read digit by digit into
 * a number, exact below 2^53, then made a bigint; anything else goes through @bukubesar/money's wireToSen.
 */
function senOf(amount: string): bigint {
  const length = amount.length;
  if (length > FAST_PARSE_DIGITS_MAX + 1 || length < 4 || amount.charCodeAt(length - 3) !== DOT)
    return wireToSen(amount);
  let value = 0;
  for (let index = 0; index < length; index += 1) {
    if (index === length - 3) continue;
    const digit = amount.charCodeAt(index) - DIGIT_ZERO;
    if (digit < 0 || digit > 9) return wireToSen(amount);
    value = value * 10 + digit;
  }
  return BigInt(value);
}

/**
 * One posting as the rules need it, computed once per event by the fold (before the facts are updated) and
 * shared by every rule: each line's amount in sen, the entry's total, the cash it moves, the change to each
 * account and each member's loans, and the recording instant on the cooperative's clock.
 */
export class EntryAnalysis {
  /** Each line's amount in sen, in line order. */
  readonly amounts: readonly bigint[];
  /** The entry's total debit (= total credit for a balanced entry). */
  readonly total: bigint;
  /**
   * The cash the entry moves across the cooperative's boundary: the net change of its cash lines, as an
   * absolute amount. A transfer from Kas Besar to Kas Kecil nets to zero and is not a cash transaction.
   */
  readonly netCash: bigint;
  /** The signed (debit-positive) change to each account, in order of first appearance. */
  readonly deltas: ReadonlyMap<string, bigint>;
  /** The signed change to each member's outstanding loans (lines on loan accounts that name a member). */
  readonly loanDeltas: ReadonlyMap<string, bigint>;
  /** The cash accounts the entry touches, sorted. */
  readonly cashAccounts: readonly string[];
  readonly recordedAtMilliseconds: number;
  private readonly timeZone: string;
  private readonly lines: readonly EntryLine[];
  private readonly cashLine: readonly boolean[];
  private localRecordedAt: LocalDateTime | null = null;
  private cashByMemberCache: ReadonlyMap<string, bigint> | null = null;

  constructor(facts: CooperativeFacts, lines: readonly EntryLine[], recordedAt: string) {
    const amounts: bigint[] = [];
    const cashLine: boolean[] = [];
    const deltas = new Map<string, bigint>();
    const loanDeltas = new Map<string, bigint>();
    const cashAccounts: string[] = [];
    let total = 0n;
    let net = 0n;
    for (const line of lines) {
      const amount = senOf(line.amount);
      const signed = line.side === "debit" ? amount : -amount;
      amounts.push(amount);
      if (line.side === "debit") total += amount;
      deltas.set(line.account, (deltas.get(line.account) ?? 0n) + signed);
      const account = facts.accounts.get(line.account);
      const cash = account?.cash === true;
      cashLine.push(cash);
      if (cash) {
        net += signed;
        if (!cashAccounts.includes(line.account)) cashAccounts.push(line.account);
      }
      if (line.memberId !== null && account?.loan === true)
        loanDeltas.set(line.memberId, (loanDeltas.get(line.memberId) ?? 0n) + signed);
    }
    this.amounts = amounts;
    this.total = total;
    this.netCash = net < 0n ? -net : net;
    this.deltas = deltas;
    this.loanDeltas = loanDeltas;
    this.cashAccounts = cashAccounts.length > 1 ? cashAccounts.sort() : cashAccounts;
    this.recordedAtMilliseconds = Date.parse(recordedAt);
    this.timeZone = facts.settings.timeZone;
    this.lines = lines;
    this.cashLine = cashLine;
  }

  /** Whether line `index` is on a cash account. */
  isCashLine(index: number): boolean {
    return this.cashLine[index] === true;
  }

  /** The recording instant on the cooperative's own clock (settings.timeZone), computed on first use. */
  get local(): LocalDateTime {
    this.localRecordedAt ??= localDateTimeAt(this.recordedAtMilliseconds, this.timeZone);
    return this.localRecordedAt;
  }

  /**
   * The members a cash entry moves money for, with the cash attributed to each: the sum of the member's own
   * (non-cash) lines, capped at the entry's net cash movement. Empty when the entry moves no cash.
   */
  get cashByMember(): ReadonlyMap<string, bigint> {
    if (this.cashByMemberCache !== null) return this.cashByMemberCache;
    const byMember = new Map<string, bigint>();
    if (this.netCash !== 0n) {
      this.lines.forEach((line, index) => {
        if (line.memberId === null || this.cashLine[index] === true) return;
        byMember.set(line.memberId, (byMember.get(line.memberId) ?? 0n) + (this.amounts[index] ?? 0n));
      });
      for (const [memberId, amount] of byMember)
        if (amount > this.netCash) byMember.set(memberId, this.netCash);
    }
    this.cashByMemberCache = byMember;
    return byMember;
  }
}
