/**
 * Where each part of the SHU goes when the members' meeting (RAT) decides its allocation
 * (docs/domain.md section 5.4: Dr SHU, Cr 3500 Cadangan, Cr 2401 Utang SHU Anggota, Cr 2402–2407 Dana-dana).
 * Kept as data so a different chart only needs a different table.
 *
 * `pengurusPengawas` goes to 2402 Dana Pengurus; an allocation that gives the supervisors a share of their own
 * names `pengawas`, which goes to 2403 Dana Pengawas (docs/domain.md section 3). `pengawas` comes last so the
 * split of allocations decided before it existed stays the same. Each member's *jasa usaha* and *jasa modal*
 * is credited to 2401 on a line naming the member.
 */

export const shuAllocationAccounts = {
  cadangan: "3500",
  jasaUsaha: "2401",
  jasaModal: "2401",
  pengurusPengawas: "2402",
  karyawan: "2404",
  pendidikan: "2405",
  sosial: "2406",
  pembangunanDaerahKerja: "2407",
  pengawas: "2403",
} as const;

export type ShuAllocationKey = keyof typeof shuAllocationAccounts;

export const shuAllocationKeys = Object.keys(shuAllocationAccounts) as readonly ShuAllocationKey[];

/**
 * The account the closing entry gathers the year's income and expense into (*ikhtisar hasil usaha*). The
 * same closing entry empties it again, so it starts every year at zero (docs/accounting.md, year-end).
 */
export const SHU_CURRENT_YEAR_ACCOUNT = "3700";

/** Where a closed year's positive result waits for the members' meeting (RAT) to divide it. */
export const SHU_UNDISTRIBUTED_ACCOUNT = "3600";

/** The general reserve (*cadangan*): where the RAT's reserve share goes, and what may cover a loss. */
export const RESERVE_ACCOUNT = shuAllocationAccounts.cadangan;

/** Where a closed year's loss waits until the members' meeting decides how it is covered (debit-normal). */
export const ACCUMULATED_LOSS_ACCOUNT = "3610";

/**
 * Where the result of a year closed before results were moved out of 3700 still sits: `FiscalYearClosed`
 * events recorded then carry no `resultAccount`, and their RAT decision debits 3700.
 */
export const LEGACY_RESULT_ACCOUNT = SHU_CURRENT_YEAR_ACCOUNT;

/** The account a closed year's result is moved to: 3600 for a profit, 3610 for a loss. */
export const resultAccountFor = (resultSen: bigint): string =>
  resultSen >= 0n ? SHU_UNDISTRIBUTED_ACCOUNT : ACCUMULATED_LOSS_ACCOUNT;

/** The RAT's default placeholder allocation (docs/domain.md section 5.2), to be replaced by the actual decision. */
export const shuAllocationDefault: Readonly<Partial<Record<ShuAllocationKey, string>>> = {
  cadangan: "30",
  jasaUsaha: "30",
  jasaModal: "20",
  pengurusPengawas: "5",
  karyawan: "5",
  pendidikan: "5",
  sosial: "2.5",
  pembangunanDaerahKerja: "2.5",
};

/** Where the SHU owed to each member waits until it is paid or capitalised (a member control account). */
export const MEMBER_SHU_PAYABLE_ACCOUNT = shuAllocationAccounts.jasaUsaha;

/** The capital behind *jasa modal*: simpanan pokok and simpanan wajib (docs/domain.md section 5.3). */
export const JASA_MODAL_CAPITAL_ACCOUNTS: readonly string[] = ["3100", "3200"];

/**
 * The line memo of the rounding residue of a member pool (the sen below whole rupiah, or a pool no member
 * qualifies for), credited to the reserve: `sisaPembulatan:jasaUsaha`, `sisaPembulatan:jasaModal`.
 */
export const RESIDUE_MEMO_PREFIX = "sisaPembulatan:";
