/** The shapes of the API's answers the application reads (docs/api.md). */
export type Role = "admin" | "treasurer" | "approver" | "supervisor" | "auditor";

export interface Session {
  readonly principalId: string;
  readonly role: Role;
  readonly scope: string;
  readonly name: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** A principal as the admin's list shows it (never its token). */
export interface Principal {
  readonly principalId: string;
  readonly role: Role;
  readonly scope: string;
  readonly name: string;
  readonly expiresAt?: string;
}

/** One cooperative's key figures in a region's roll-up (GET /v1/regions/{prefix}/summary). */
export interface RegionCooperative {
  readonly coopId: string;
  readonly name: string;
  readonly regionCode: string;
  readonly cash: string;
  readonly lastPostingAt: string | null;
  readonly daysSinceLastPosting: number | null;
  readonly openAlerts: number;
}

export interface RegionSummary {
  readonly region: string;
  readonly asOf: string;
  readonly cooperatives: readonly RegionCooperative[];
}

export interface Account {
  readonly code: string;
  readonly name: string;
  readonly type: "asset" | "liability" | "equity" | "income" | "expense";
  readonly noOverdraft: boolean;
  readonly postable: boolean;
  readonly open: boolean;
  /** The chart's control tags (docs/accounting.md section 1). */
  readonly memberControl?: boolean;
  readonly businessWith?: "member" | "non_member" | null;
  readonly systemAccount?: boolean;
}

export interface Settings {
  readonly timeZone: "Asia/Jakarta" | "Asia/Makassar" | "Asia/Jayapura";
  readonly approvalThreshold: string | null;
  readonly largeCashThreshold: string;
  readonly businessHours: { readonly start: string; readonly end: string };
  readonly legalEntityNumber?: string | null;
}

export interface Cooperative {
  readonly id: string;
  readonly name: string;
  readonly regionCode: string;
  readonly settings: Settings;
  readonly accounts: readonly Account[];
}

export interface Member {
  readonly memberId: string;
  readonly name: string;
  readonly joinedOn: string;
  readonly role: string;
  /** The day the member left; null (or absent) while a member. */
  readonly exitedOn?: string | null;
}

export interface EntryLine {
  readonly account: string;
  readonly debit?: string;
  readonly credit?: string;
  readonly memberId: string | null;
  readonly unit: string | null;
  readonly counterparty: string | null;
  readonly memo: string | null;
}

export interface Entry {
  readonly entryId: string;
  readonly status: "posted" | "pending_approval" | "rejected";
  readonly sequence?: number;
  readonly date: string;
  readonly memo: string;
  readonly lines: readonly EntryLine[];
  readonly postedBy?: string;
  readonly proposedBy?: string;
  readonly recordedAt: string | null;
  readonly reversedBy?: string;
  readonly reverses?: string;
  readonly reason?: string;
}

export interface TrialBalanceRow {
  readonly code: string;
  readonly name: string;
  readonly type: string;
  readonly debit: string;
  readonly credit: string;
  readonly balance: string;
}

export interface TrialBalance {
  readonly asOf: string;
  readonly accounts: readonly TrialBalanceRow[];
  readonly totals: { readonly debit: string; readonly credit: string };
}

export interface Alert {
  readonly alertId: string;
  readonly rule: string;
  readonly severity: "info" | "warning" | "high";
  readonly coopId: string;
  readonly regionCode: string;
  readonly entryIds: readonly string[];
  readonly summary: string;
  readonly raisedAt: string;
  readonly acknowledgements?: readonly {
    readonly note: string;
    readonly by: string;
    readonly acknowledgedAt: string;
  }[];
}

export const UNITS = [
  "kantor",
  "sembako",
  "simpan_pinjam",
  "klinik",
  "apotek",
  "gudang",
  "logistik",
  "lainnya",
] as const;
export const COUNTERPARTIES = ["member", "non_member", "supplier", "bank", "government", "other"] as const;
