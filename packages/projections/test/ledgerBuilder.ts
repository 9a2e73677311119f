import type {
  AccountType,
  Counterparty,
  EntryKind,
  EntryLine,
  LedgerEvent,
  MemberRole,
  NormalBalance,
  RecordedLedgerEvent,
  Unit,
} from "@bukubesar/ledger-core";

/**
 * A small builder of recorded ledger events for tests: it numbers revisions, fills the metadata and
 * writes lines the way the ledger does (wire amounts with two decimals, null for absent facts).
 */
export class LedgerBuilder {
  readonly events: RecordedLedgerEvent[] = [];
  private entryCounter = 0;

  constructor(readonly coopId = "kkmp-mangunharjo") {
    this.push({
      type: "LedgerOpened",
      data: {
        coopId,
        name: "KKMP Mangunharjo",
        regionCode: "35.74.03.1002",
        settings: {
          approvalThreshold: null,
          largeCashThreshold: "100000000.00",
          businessHours: { start: "07:00", end: "18:00" },
          timeZone: "Asia/Jakarta",
        },
      },
    });
  }

  push(event: LedgerEvent): this {
    const revision = this.events.length;
    this.events.push({
      ...event,
      revision,
      metadata: {
        eventId: `${this.coopId}-${revision}`,
        principalId: "treasurer-1",
        role: "treasurer",
        recordedAt: "2026-01-01T00:00:00.000Z",
        idempotencyKey: null,
        requestHash: null,
        correlationId: null,
        prevHash: "0".repeat(64),
        hash: "0".repeat(64),
      },
    } as RecordedLedgerEvent);
    return this;
  }

  account(code: string, name: string, accountType: AccountType, normalBalance?: NormalBalance): this {
    return this.push({
      type: "AccountOpened",
      data: {
        code,
        name,
        accountType,
        normalBalance:
          normalBalance ?? (accountType === "asset" || accountType === "expense" ? "debit" : "credit"),
        parent: null,
        postable: true,
        noOverdraft: false,
      },
    });
  }

  member(memberId: string, name: string, joinedOn = "2026-01-02", role: MemberRole = "member"): this {
    return this.push({ type: "MemberRegistered", data: { memberId, name, joinedOn, role } });
  }

  /** Posts an entry and returns its id. */
  post(
    date: string,
    memo: string,
    lines: readonly EntryLine[],
    kind: EntryKind = "regular",
    reverses: string | null = null,
  ): string {
    this.entryCounter++;
    const entryId = `E${String(this.entryCounter).padStart(5, "0")}`;
    this.push({
      type: "JournalEntryPosted",
      data: { entryId, kind, date, memo, lines, postedBy: "treasurer-1", proposedBy: null, reverses },
    });
    return entryId;
  }

  /** Posts the mirror of `entryId` on `date` and the JournalEntryReversed link. */
  reverse(entryId: string, date: string, reason: string): string {
    const original = this.events.find(
      (event) => event.type === "JournalEntryPosted" && event.data.entryId === entryId,
    ) as Extract<RecordedLedgerEvent, { type: "JournalEntryPosted" }>;
    const mirrored = original.data.lines.map((line) => ({
      ...line,
      side: line.side === "debit" ? ("credit" as const) : ("debit" as const),
    }));
    const reversalId = this.post(date, `Pembalikan: ${original.data.memo}`, mirrored, "reversal", entryId);
    this.push({ type: "JournalEntryReversed", data: { entryId, reversedBy: "treasurer-1", reason } });
    return reversalId;
  }
}

export interface LineOptions {
  readonly memberId?: string;
  readonly unit?: Unit;
  readonly counterparty?: Counterparty;
  readonly memo?: string;
}

export const debit = (account: string, amount: string, options: LineOptions = {}): EntryLine =>
  line(account, "debit", amount, options);
export const credit = (account: string, amount: string, options: LineOptions = {}): EntryLine =>
  line(account, "credit", amount, options);

const line = (
  account: string,
  side: "debit" | "credit",
  amount: string,
  options: LineOptions,
): EntryLine => ({
  account,
  side,
  amount,
  memberId: options.memberId ?? null,
  unit: options.unit ?? null,
  counterparty: options.counterparty ?? (options.memberId === undefined ? null : "member"),
  memo: options.memo ?? null,
});

/** The kkmp-like chart used by the tests (a subset of docs/domain.md section 3). */
export const KKMP_ACCOUNTS: ReadonlyArray<readonly [string, string, AccountType, NormalBalance?]> = [
  ["1101", "Kas Besar", "asset"],
  ["1103", "Kas Gerai", "asset"],
  ["1111", "Bank Operasional", "asset"],
  ["1201", "Pinjaman yang Diberikan - Anggota", "asset"],
  ["1209", "Cadangan Kerugian Pinjaman", "asset", "credit"],
  ["1210", "Piutang Usaha - Anggota", "asset"],
  ["1301", "Persediaan Sembako", "asset"],
  ["1603", "Mesin Pendingin", "asset"],
  ["2101", "Simpanan Sukarela", "liability"],
  ["2201", "Utang Dagang Pemasok", "liability"],
  ["2401", "Utang SHU Bagian Anggota", "liability"],
  ["2402", "Dana Pengurus", "liability"],
  ["2404", "Dana Karyawan", "liability"],
  ["2405", "Dana Pendidikan", "liability"],
  ["2406", "Dana Sosial", "liability"],
  ["2407", "Dana Pembangunan Daerah Kerja", "liability"],
  ["2601", "Pinjaman Bank Himbara", "liability"],
  ["3100", "Simpanan Pokok", "equity"],
  ["3200", "Simpanan Wajib", "equity"],
  ["3400", "Hibah", "equity"],
  ["3500", "Cadangan", "equity"],
  ["3600", "SHU Belum Dibagi", "equity"],
  ["3700", "SHU Tahun Berjalan", "equity"],
  ["4101", "Penjualan Sembako - Anggota", "income"],
  ["4106", "Pendapatan Jasa Pinjaman - Anggota", "income"],
  ["4201", "Penjualan Sembako - Non-Anggota", "income"],
  ["4301", "Jasa Giro", "income"],
  ["5101", "HPP Sembako - Anggota", "expense"],
  ["5201", "HPP Sembako - Non-Anggota", "expense"],
  ["6101", "Gaji Pengelola", "expense"],
  ["6104", "Listrik dan Air", "expense"],
  ["6201", "Beban RAT", "expense"],
  ["6900", "Beban Pajak Penghasilan", "expense"],
];

export const withKkmpAccounts = (builder: LedgerBuilder): LedgerBuilder => {
  for (const [code, name, type, normal] of KKMP_ACCOUNTS) builder.account(code, name, type, normal);
  return builder;
};
