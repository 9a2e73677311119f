import type { EntryLine } from "@bukubesar/ledger-core";
import { wireToSen } from "@bukubesar/money";
import type { AccountFacts, CooperativeFacts } from "./cooperativeFacts.js";
import type { LocalDateTime } from "./localTime.js";
import { instantMs, localDateTimeAt } from "./localTime.js";

const DIGIT_ZERO = 48;
const DOT = 46;
/** Up to 15 digits of sen are exact as a JS number (below 2^53), so the fast path stays exact. */
const FAST_PARSE_DIGITS_MAX = 15;

/**
 * A wire amount in sen. The common form ("150000.00": digits, a dot, two digits) is read digit by digit into
 * a number, exact below 2^53, then made a bigint; anything else goes through @bukubesar/money's wireToSen.
 */
const senOf = (amount: string): bigint => {
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
};

/** An entry that touches no cash account shares this empty list. */
const NO_ACCOUNTS: readonly string[] = Object.freeze([]);

/** A signed amount per key (account code or member id) in flat parallel arrays, reused from entry to entry. */
export class SenByKey {
  /** How many keys are valid; the arrays may be longer (left over from a larger entry). */
  count = 0;
  readonly keys: string[] = [];
  readonly amounts: bigint[] = [];

  clear(): void {
    this.count = 0;
  }

  /**
   * Adds `amount` to `key`, keeping keys in order of first appearance (a linear scan: entries have few
   * lines); returns the key's index.
   */
  add(key: string, amount: bigint): number {
    for (let index = 0; index < this.count; index += 1) {
      if (this.keys[index] === key) {
        this.amounts[index] = (this.amounts[index] as bigint) + amount;
        return index;
      }
    }
    const index = this.count;
    this.keys[index] = key;
    this.amounts[index] = amount;
    this.count += 1;
    return index;
  }

  /** The amount of `key`, zero when absent. */
  get(key: string): bigint {
    for (let index = 0; index < this.count; index += 1)
      if (this.keys[index] === key) return this.amounts[index] as bigint;
    return 0n;
  }

  key(index: number): string {
    return this.keys[index] as string;
  }

  amount(index: number): bigint {
    return this.amounts[index] as bigint;
  }
}

/**
 * One posting as the rules need it, computed once per event by the fold (before the facts are updated) and
 * shared by every rule: each line's amount in sen, the entry's total, the cash it moves, the change to each
 * account and each member's loans, and the recording instant on the cooperative's clock.
 *
 * One instance is reused for every posting of a replay (`analyse` overwrites it), so its arrays are only
 * valid up to their counts and only until the next event: rules copy what they keep.
 */
export class EntryAnalysis {
  /** How many lines the entry has (the per-line arrays may be longer). */
  lineCount = 0;
  /** Each line's amount in sen, in line order (valid up to lineCount). */
  readonly amounts: bigint[] = [];
  /** Whether each line is on a cash account (valid up to lineCount). */
  readonly cashLines: boolean[] = [];
  /** The entry's total debit (= total credit for a balanced entry). */
  total = 0n;
  /**
   * The cash the entry moves across the cooperative's boundary: the net change of its cash lines, as an
   * absolute amount. A transfer from Kas Besar to Kas Kecil nets to zero and is not a cash transaction.
   */
  netCash = 0n;
  /** The signed (debit-positive) change to each account, in order of first appearance. */
  readonly deltas = new SenByKey();
  /**
   * The facts of each account in `deltas`, at the same index (undefined: never opened), looked up once
   * here so the fold does not look each account up again.
   */
  readonly deltaAccounts: (AccountFacts | undefined)[] = [];
  /** The signed change to each member's outstanding loans (lines on loan accounts that name a member). */
  readonly loanDeltas = new SenByKey();
  recordedAtMs = 0;
  private timeZone = "";
  private lines: readonly EntryLine[] = [];
  private localRecordedAt: LocalDateTime | null = null;
  private readonly cashByMemberSen = new SenByKey();
  private cashByMemberReady = false;
  private cashAccountCodes: readonly string[] | null = null;

  /** Analyses one posting, overwriting the previous one. */
  analyse(facts: CooperativeFacts, lines: readonly EntryLine[], recordedAt: string): this {
    const deltas = this.deltas;
    const loanDeltas = this.loanDeltas;
    deltas.clear();
    loanDeltas.clear();
    let total = 0n;
    let net = 0n;
    const lineCount = lines.length;
    for (let index = 0; index < lineCount; index += 1) {
      const line = lines[index] as EntryLine;
      const amount = senOf(line.amount);
      const debit = line.side === "debit";
      const signed = debit ? amount : -amount;
      this.amounts[index] = amount;
      if (debit) total += amount;
      const account = facts.accounts.get(line.account);
      this.deltaAccounts[deltas.add(line.account, signed)] = account;
      const cash = account?.cash === true;
      this.cashLines[index] = cash;
      if (cash) net += signed;
      if (line.memberId !== null && account?.loan === true) loanDeltas.add(line.memberId, signed);
    }
    this.lineCount = lineCount;
    this.total = total;
    this.netCash = net < 0n ? -net : net;
    this.recordedAtMs = instantMs(recordedAt);
    this.timeZone = facts.settings.timeZone;
    this.lines = lines;
    this.localRecordedAt = null;
    this.cashByMemberReady = false;
    this.cashAccountCodes = null;
    return this;
  }

  /**
   * The cash accounts the entry touches, sorted; computed on first use (a fresh array per entry, since the
   * rare rules that use it keep it).
   */
  get cashAccounts(): readonly string[] {
    if (this.cashAccountCodes !== null) return this.cashAccountCodes;
    let codes: string[] | null = null;
    for (let index = 0; index < this.lineCount; index += 1) {
      if (this.cashLines[index] !== true) continue;
      const code = (this.lines[index] as EntryLine).account;
      codes ??= [];
      if (!codes.includes(code)) codes.push(code);
    }
    this.cashAccountCodes = codes === null ? NO_ACCOUNTS : codes.sort();
    return this.cashAccountCodes;
  }

  /** Whether line `index` is on a cash account. */
  isCashLine(index: number): boolean {
    return index < this.lineCount && this.cashLines[index] === true;
  }

  /** The recording instant on the cooperative's own clock (settings.timeZone), computed on first use. */
  get local(): LocalDateTime {
    this.localRecordedAt ??= localDateTimeAt(this.recordedAtMs, this.timeZone);
    return this.localRecordedAt;
  }

  /**
   * The members a cash entry moves money for, with the cash attributed to each, in order of first
   * appearance: the sum of the member's own (non-cash) lines, capped at the entry's net cash movement.
   * Empty when the entry moves no cash. Computed on first use.
   */
  get cashByMember(): SenByKey {
    const byMember = this.cashByMemberSen;
    if (this.cashByMemberReady) return byMember;
    byMember.clear();
    if (this.netCash !== 0n) {
      for (let index = 0; index < this.lineCount; index += 1) {
        const line = this.lines[index] as EntryLine;
        if (line.memberId === null || this.cashLines[index] === true) continue;
        byMember.add(line.memberId, this.amounts[index] as bigint);
      }
      for (let index = 0; index < byMember.count; index += 1)
        if (byMember.amount(index) > this.netCash) byMember.amounts[index] = this.netCash;
    }
    this.cashByMemberReady = true;
    return byMember;
  }
}
