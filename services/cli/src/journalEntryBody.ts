import { checkBody, PostJournalEntryBody, requestHashOf } from "@bukubesar/contract";

/**
 * An imported line obeys exactly the rules a POST …/journal-entries body does, because it is decoded by
 * the codec the API decodes with (@bukubesar/contract's `PostJournalEntryBody` through `checkBody`, whose
 * refusal is a value) and hashed by the same `requestHashOf`: the two can never disagree, and a key used
 * by an import and then by an HTTP client (or the other way round) is recognised as the same request.
 */

/** The API's route within a cooperative whose rules and idempotency scope an imported line follows. */
export const JOURNAL_ENTRIES_ROUTE = "journal-entries";

/** A POST journal-entries body as the API's codec decodes it (amounts normalised to two fraction digits). */
export type JournalEntryBody = (typeof PostJournalEntryBody)["_A"];

export type BodyValidation =
  | { readonly ok: true; readonly body: JournalEntryBody }
  | { readonly ok: false; readonly path: string; readonly code: string; readonly message: string };

/** Decodes a body with the API's codec; a refusal names the field and code the API's 422 would name. */
export const validateJournalEntryBody = (value: unknown): BodyValidation => {
  const checked = checkBody(PostJournalEntryBody, value);
  if (checked._tag === "Right") return { ok: true, body: checked.right };
  const refusal = checked.left;
  const first = refusal.first ?? refusal.errors[0];
  return {
    ok: false,
    path: first?.path ?? "",
    code: refusal.code,
    message: first?.message ?? "is not a valid journal entry",
  };
};

/** The request hash the API stores with a keyed request: of the body as sent, not as decoded. */
export const journalEntryRequestHash = (bodyAsSent: unknown): string =>
  requestHashOf(JOURNAL_ENTRIES_ROUTE, bodyAsSent);
