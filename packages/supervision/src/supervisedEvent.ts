import type { LedgerEvent } from "@bukubesar/ledger-core";

/** The part of a ledger event's metadata the rules read. */
export interface SupervisedMetadata {
  readonly eventId: string;
  readonly principalId: string;
  readonly role: string;
  readonly recordedAt: string;
}

/**
 * A refused self-approval leaves no ledger event (the request is refused, nothing is recorded). The API may
 * send this signal to the supervisor so the self-approval rule can still see the attempt.
 */
export interface SelfApprovalAttempted {
  readonly type: "SelfApprovalAttempted";
  readonly data: { readonly entryId: string; readonly principalId: string };
}

/** What the rules take: a ledger event of one cooperative, with its stream revision and metadata. */
export type SupervisedEvent = (LedgerEvent | SelfApprovalAttempted) & {
  readonly coopId: string;
  readonly revision: number;
  readonly metadata: SupervisedMetadata;
};

/** A clock tick, the input of the time-driven rules (a dormant cooperative raises no event of its own). */
export interface ClockTick {
  /** RFC 3339 UTC instant of the tick; alerts raised by the tick carry it as raisedAt. */
  readonly now: string;
}
