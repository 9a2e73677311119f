/**
 * The forbidden postings of docs/accounting.md section 2 (controls 7 to 10), as the bodies a treasurer
 * would send to `POST …/journal-entries` or put in a `bukubesar import` file, each with the refusal it
 * gets. The HTTP and the import tests try the same cases against the same starting ledger.
 */

/** The members of the starting ledger: A-0001 a member since March 2025, A-0002 left at the end of June. */
export const CONTROL_MEMBERS = [
  { memberId: "A-0001", name: "Siti Aminah", joinedOn: "2025-03-01", role: "member" },
  { memberId: "A-0002", name: "Budi Santoso", joinedOn: "2025-03-01", role: "member" },
] as const;

/** A-0002's exit: after it nothing more is posted for them. */
export const CONTROL_EXIT = {
  memberId: "A-0002",
  date: "2025-06-30",
  reason: "pindah domisili",
  settlementAccount: "1101",
} as const;

interface WireLine {
  readonly account: string;
  readonly debit?: string;
  readonly credit?: string;
  readonly memberId?: string;
  readonly unit?: string;
  readonly counterparty?: string;
}

export interface ControlEntryBody {
  readonly date: string;
  readonly memo: string;
  readonly lines: readonly WireLine[];
}

/** What the starting ledger holds before the forbidden postings are tried. */
export const CONTROL_OPENING_ENTRIES: readonly ControlEntryBody[] = [
  {
    date: "2025-03-01",
    memo: "Simpanan pokok",
    lines: [
      { account: "1101", debit: "200000" },
      { account: "3100", credit: "100000", memberId: "A-0001" },
      { account: "3100", credit: "100000", memberId: "A-0002" },
    ],
  },
  {
    date: "2025-04-05",
    memo: "Simpanan wajib April",
    lines: [
      { account: "1101", debit: "25000" },
      { account: "3200", credit: "25000", memberId: "A-0002" },
    ],
  },
];

export interface ControlCase {
  readonly control: string;
  readonly body: ControlEntryBody;
  readonly code: string;
  /** The decider's path; over HTTP it is the JSON Pointer of the same field. */
  readonly path: string;
}

const on = (date: string, memo: string, ...lines: WireLine[]): ControlEntryBody => ({ date, memo, lines });

export const CONTROL_CASES: readonly ControlCase[] = [
  {
    control: "7: a member control account's line names a member",
    body: on(
      "2025-07-01",
      "Wajib tanpa anggota",
      { account: "1101", debit: "25000" },
      { account: "3200", credit: "25000" },
    ),
    code: "member_required",
    path: "lines[1].memberId",
  },
  {
    control: "8: a non-member account refuses a member's line",
    body: on(
      "2025-07-01",
      "Penjualan non-anggota ke anggota",
      { account: "1101", debit: "50000" },
      { account: "4201", credit: "50000", memberId: "A-0001" },
    ),
    code: "member_business_mismatch",
    path: "lines[1].memberId",
  },
  {
    control: "8: a member-only account refuses a non_member line (a return too)",
    body: on(
      "2025-07-01",
      "Retur penjualan anggota dicatat non-anggota",
      { account: "4101", debit: "5000", counterparty: "non_member" },
      { account: "1101", credit: "5000" },
    ),
    code: "member_business_mismatch",
    path: "lines[0].counterparty",
  },
  {
    control: "8: a line naming a member cannot say non_member",
    body: on(
      "2025-07-01",
      "Pendapatan lain",
      { account: "1101", debit: "5000" },
      { account: "4309", credit: "5000", memberId: "A-0001", counterparty: "non_member" },
    ),
    code: "member_counterparty_conflict",
    path: "lines[1].counterparty",
  },
  {
    control: "9: a loan from the savings-and-loan unit goes to a registered member",
    body: on(
      "2025-07-01",
      "Pinjaman tanpa anggota",
      { account: "1201", debit: "100000", unit: "simpan_pinjam" },
      { account: "1101", credit: "100000" },
    ),
    code: "member_required",
    path: "lines[0].memberId",
  },
  {
    control: "9: nothing for a member before they joined",
    body: on(
      "2025-02-05",
      "Wajib sebelum masuk",
      { account: "1101", debit: "25000" },
      { account: "3200", credit: "25000", memberId: "A-0001" },
    ),
    code: "member_not_active",
    path: "lines[1].memberId",
  },
  {
    control: "9: nothing for a member after they left",
    body: on(
      "2025-07-05",
      "Wajib setelah keluar",
      { account: "1101", debit: "25000" },
      { account: "3200", credit: "25000", memberId: "A-0002" },
    ),
    code: "member_not_active",
    path: "lines[1].memberId",
  },
  {
    control: "9: simpanan pokok is returned only through the member exit",
    body: on(
      "2025-07-01",
      "Pengembalian simpanan pokok",
      { account: "3100", debit: "100000", memberId: "A-0001" },
      { account: "1101", credit: "100000" },
    ),
    code: "simpanan_pokok_locked",
    path: "lines[0].account",
  },
  {
    control: "10: the reserve moves only through the year end or an adjusting entry",
    body: on(
      "2025-07-01",
      "Cadangan manual",
      { account: "1101", debit: "10000" },
      { account: "3500", credit: "10000" },
    ),
    code: "system_account",
    path: "lines[1].account",
  },
  {
    control: "10: SHU Tahun Berjalan is not posted by hand",
    body: on(
      "2025-07-01",
      "SHU manual",
      { account: "3700", debit: "10000" },
      { account: "1101", credit: "10000" },
    ),
    code: "system_account",
    path: "lines[0].account",
  },
];

/** `lines[1].memberId` → `/lines/1/memberId`, as the API reports the path. */
export const jsonPointerOf = (path: string): string =>
  `/${path.replace(/\[(\d+)\]/g, "/$1").replace(/\./g, "/")}`;
