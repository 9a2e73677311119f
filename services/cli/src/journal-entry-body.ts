import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/** A POST journal-entries body after validation, amounts normalised to two fraction digits. */
export interface JournalEntryBody {
  readonly date: string;
  readonly memo?: string;
  readonly lines: readonly JournalEntryLineInput[];
}

export interface JournalEntryLineInput {
  readonly account: string;
  readonly debit?: string;
  readonly credit?: string;
  readonly memberId?: string;
  readonly unit?: string;
  readonly counterparty?: string;
  readonly memo?: string;
}

export type BodyValidation =
  | { readonly ok: true; readonly body: JournalEntryBody }
  | { readonly ok: false; readonly path: string; readonly code: string; readonly message: string };

/** What the API exports for its own validation, when it does (see `apiBodyValidation`). */
interface ApiValidationExports {
  readonly decodeBody: (codec: unknown, value: unknown) => unknown;
  readonly PostJournalEntryBody: unknown;
  readonly requestHashOf: (route: string, body: unknown) => string;
}

/**
 * The API's own validation of a POST journal-entries body, so an imported line obeys exactly the rules a
 * posted one does. It needs `decodeBody`, `PostJournalEntryBody` and `requestHashOf` exported from
 * @bukubesar/ledger-api; until they are, `validateJournalEntryBody` below (written from api.md) stands in.
 */
export const apiBodyValidation = async (): Promise<{
  validate: (value: unknown) => BodyValidation;
  requestHash: (route: string, body: JournalEntryBody) => string;
} | null> => {
  const api = (await import("@bukubesar/ledger-api")) as unknown as Partial<ApiValidationExports>;
  const { decodeBody, PostJournalEntryBody, requestHashOf } = api;
  if (decodeBody === undefined || PostJournalEntryBody === undefined || requestHashOf === undefined)
    return null;
  return {
    validate: (value) => {
      try {
        return { ok: true, body: decodeBody(PostJournalEntryBody, value) as JournalEntryBody };
      } catch (error) {
        const problem = error as {
          code?: string;
          detail?: string;
          errors?: readonly { path: string; code: string; message: string }[];
        };
        const first = problem.errors?.[0];
        return {
          ok: false,
          path: first?.path ?? "",
          code: first?.code ?? problem.code ?? "validation_failed",
          message: first?.message ?? problem.detail ?? String(error),
        };
      }
    },
    requestHash: requestHashOf,
  };
};

/** The request hash the API stores with a keyed request: SHA-256 of the route, a newline and the canonical body. */
export const requestHashOf = (route: string, body: JournalEntryBody): string =>
  createHash("sha256")
    .update(`${route}\n${canonicalJson(body)}`, "utf8")
    .digest("hex");

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;
/** api.md: memo ≤ 1,000 characters; 2–500 lines. */
const MEMO_LENGTH_MAX = 1_000;
const ENTRY_LINES_MIN = 2;
const ENTRY_LINES_MAX = 500;
const UNITS = ["kantor", "sembako", "simpan_pinjam", "klinik", "apotek", "gudang", "logistik", "lainnya"];
const COUNTERPARTIES = ["member", "non_member", "supplier", "bank", "government", "other"];
const BODY_FIELDS = ["date", "memo", "lines"];
const LINE_FIELDS = ["account", "debit", "credit", "memberId", "unit", "counterparty", "memo"];

const refuse = (path: string, code: string, message: string): BodyValidation => ({
  ok: false,
  path,
  code,
  message,
});

const normaliseAmount = (value: unknown, path: string): string | BodyValidation => {
  if (typeof value === "number")
    return refuse(path, "amount_must_be_string", "amounts are decimal strings, not numbers");
  if (typeof value !== "string" || !AMOUNT_PATTERN.test(value)) {
    return refuse(
      path,
      "invalid_amount",
      "must be a positive decimal with at most 15 digits and 2 fraction digits",
    );
  }
  const [whole = "0", fraction = ""] = value.split(".");
  if (/^0+$/.test(whole) && /^0*$/.test(fraction))
    return refuse(path, "invalid_amount", "must be more than zero");
  return `${whole}.${fraction.padEnd(2, "0")}`;
};

/** The body rules of api.md (Journal entries), for when the API does not export its validation. */
export const validateJournalEntryBody = (value: unknown): BodyValidation => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse("", "validation_failed", "must be a JSON object");
  }
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!BODY_FIELDS.includes(key)) return refuse(key, "unknown_field", "is not a field of a journal entry");
  }
  const date = raw.date;
  if (typeof date !== "string" || !DATE_PATTERN.test(date))
    return refuse("date", "invalid_date", "must be YYYY-MM-DD");
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    return refuse("date", "invalid_date", "is not a calendar date");
  }
  if (raw.memo !== undefined && (typeof raw.memo !== "string" || raw.memo.length > MEMO_LENGTH_MAX)) {
    return refuse("memo", "validation_failed", `must be text of at most ${MEMO_LENGTH_MAX} characters`);
  }
  if (!Array.isArray(raw.lines)) return refuse("lines", "validation_failed", "must be a list of lines");
  if (raw.lines.length < ENTRY_LINES_MIN)
    return refuse("lines", "too_few_lines", `needs at least ${ENTRY_LINES_MIN} lines`);
  if (raw.lines.length > ENTRY_LINES_MAX)
    return refuse("lines", "too_many_lines", `takes at most ${ENTRY_LINES_MAX} lines`);
  const lines: JournalEntryLineInput[] = [];
  for (const [index, rawLine] of raw.lines.entries()) {
    const at = `lines[${index}]`;
    if (typeof rawLine !== "object" || rawLine === null)
      return refuse(at, "validation_failed", "must be an object");
    const line = rawLine as Record<string, unknown>;
    for (const key of Object.keys(line)) {
      if (!LINE_FIELDS.includes(key))
        return refuse(`${at}.${key}`, "unknown_field", "is not a field of a line");
    }
    if (typeof line.account !== "string" || line.account === "")
      return refuse(`${at}.account`, "validation_failed", "is required");
    if (line.debit !== undefined && line.credit !== undefined) {
      return refuse(at, "debit_and_credit_on_one_line", "a line is either a debit or a credit");
    }
    if (line.debit === undefined && line.credit === undefined)
      return refuse(at, "validation_failed", "a line needs a debit or a credit");
    const side = line.debit !== undefined ? "debit" : "credit";
    const amount = normaliseAmount(line[side], `${at}.${side}`);
    if (typeof amount !== "string") return amount;
    if (line.memberId !== undefined && typeof line.memberId !== "string")
      return refuse(`${at}.memberId`, "validation_failed", "must be text");
    if (line.unit !== undefined && !UNITS.includes(line.unit as string))
      return refuse(`${at}.unit`, "validation_failed", `must be one of ${UNITS.join(", ")}`);
    if (line.counterparty !== undefined && !COUNTERPARTIES.includes(line.counterparty as string)) {
      return refuse(`${at}.counterparty`, "validation_failed", `must be one of ${COUNTERPARTIES.join(", ")}`);
    }
    if (line.memo !== undefined && (typeof line.memo !== "string" || line.memo.length > MEMO_LENGTH_MAX)) {
      return refuse(
        `${at}.memo`,
        "validation_failed",
        `must be text of at most ${MEMO_LENGTH_MAX} characters`,
      );
    }
    lines.push({
      account: line.account,
      [side]: amount,
      ...(line.memberId === undefined ? {} : { memberId: line.memberId as string }),
      ...(line.unit === undefined ? {} : { unit: line.unit as string }),
      ...(line.counterparty === undefined ? {} : { counterparty: line.counterparty as string }),
      ...(line.memo === undefined ? {} : { memo: line.memo as string }),
    });
  }
  return { ok: true, body: { date, ...(raw.memo === undefined ? {} : { memo: raw.memo as string }), lines } };
};
