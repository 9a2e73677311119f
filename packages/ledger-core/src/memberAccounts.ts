/**
 * The accounts the member controls of docs/accounting.md (section 2) name by code, beside the chart's tags.
 */
import type { BusinessWith, EntryLine } from "./events.js";

/** 3100 *Simpanan Pokok*: returned to a member only when they leave (UU 25/1992; the member exit entry). */
export const SIMPANAN_POKOK_ACCOUNT = "3100";

/**
 * 2103 *Simpanan Pokok dan Wajib Anggota Keluar (Belum Dikembalikan)*: where a member exit leaves what the
 * cooperative owes the member until it is paid, when it is not paid out in cash on the day.
 */
export const EXITED_MEMBERS_PAYABLE_ACCOUNT = "2103";

/**
 * Whether a line contradicts an account's member or non-member business: the one rule the posting
 * controls (postingRules.ts) and the tagging of a used account both apply.
 */
export const contradictsBusiness = (businessWith: BusinessWith | null, line: EntryLine): boolean =>
  businessWith !== null && line.counterparty === (businessWith === "member" ? "non_member" : "member");
