import type { StoredEvent } from "@bukubesar/event-store";
import type { CheckpointHead } from "./checkpoint.js";
import { type LedgerVerdict, LedgerVerifier } from "./ledger-verifier.js";
import { compareWithProjections } from "./projection-comparison.js";
import { LEDGER_STREAM_PREFIX } from "./store-access.js";

/** The outcome for one cooperative's ledger. */
export type LedgerReport =
  | {
      readonly ok: true;
      readonly coopId: string;
      readonly streamId: string;
      readonly events: number;
      readonly headRevision: number;
      readonly headHash: string;
      readonly postedEntries: number;
    }
  | {
      readonly ok: false;
      readonly coopId: string;
      readonly streamId: string;
      readonly firstBadRevision: number;
      readonly reason: string;
    };

export const coopIdOfStream = (streamId: string): string =>
  streamId.startsWith(LEDGER_STREAM_PREFIX) ? streamId.slice(LEDGER_STREAM_PREFIX.length) : streamId;

/**
 * Verifies one ledger stream completely: the chain and invariants (LedgerVerifier), the checkpoint's
 * head when one is given, then the projections' trial balance against the verifier's own fold.
 */
export const verifyLedger = (
  streamId: string,
  events: readonly StoredEvent[],
  checkpointHead: CheckpointHead | null,
  checkpointTime: string | null,
): LedgerReport => {
  const coopId = coopIdOfStream(streamId);
  const verifier = new LedgerVerifier(streamId);
  if (checkpointHead !== null) verifier.watch(checkpointHead.revision);
  for (const event of events) {
    verifier.accept(event);
    if (verifier.failed) break;
  }
  const verdict: LedgerVerdict = verifier.finish();
  if (!verdict.ok) {
    return { ok: false, coopId, streamId, firstBadRevision: verdict.revision, reason: verdict.reason };
  }
  if (checkpointHead !== null) {
    const when = checkpointTime === null ? "" : ` of ${checkpointTime}`;
    if (verdict.headRevision < checkpointHead.revision) {
      return {
        ok: false,
        coopId,
        streamId,
        firstBadRevision: verdict.headRevision + 1,
        reason: `the chain ends at revision ${verdict.headRevision} but the checkpoint${when} records revision ${checkpointHead.revision} with hash ${checkpointHead.headHash}: the tail was truncated or rolled back`,
      };
    }
    const hashThen = verifier.hashAt(checkpointHead.revision);
    if (hashThen !== checkpointHead.headHash) {
      return {
        ok: false,
        coopId,
        streamId,
        firstBadRevision: checkpointHead.revision,
        reason: `the hash at revision ${checkpointHead.revision} is ${hashThen ?? "missing"} but the checkpoint${when} records ${checkpointHead.headHash}: history up to that revision was rewritten`,
      };
    }
  }
  const disagreement = compareWithProjections(coopId, events, verdict.accounts);
  if (disagreement !== null) {
    return {
      ok: false,
      coopId,
      streamId,
      firstBadRevision: verdict.headRevision,
      reason: `the projections disagree with the log: ${disagreement}`,
    };
  }
  return {
    ok: true,
    coopId,
    streamId,
    events: verdict.events,
    headRevision: verdict.headRevision,
    headHash: verdict.headHash,
    postedEntries: verdict.postedEntries,
  };
};
