import type { LedgerEvent } from "@bukubesar/ledger-core";

/** The part of a ledger event's metadata the rules read. */
export interface SupervisedMetadata {
  readonly eventId: string;
  readonly principalId: string;
  readonly role: string;
  readonly recordedAt: string;
}

/** The refusal codes recorded in a cooperative's audit stream (api.md's codes). */
export type AuditedRefusalCode = "self_approval" | "period_closed" | "forbidden";

/** What a `CommandRefused` audit event says: who tried what, and why it was refused. */
export interface CommandRefusedData {
  readonly code: AuditedRefusalCode;
  /** The command refused (e.g. `ApproveJournalEntry`, `PostJournalEntry`); for a route that records none, its name. */
  readonly commandType: string;
  /** The journal entry concerned (the one to approve, reverse or post), when there is one. */
  readonly entryId: string | null;
  /** The accounting date the command asked for (a post or reversal into a closed month), when there is one. */
  readonly date: string | null;
  readonly principalId: string;
  readonly role: string;
  /** RFC 3339 UTC instant of the refusal. */
  readonly at: string;
}

/**
 * A refused request records nothing in the ledger (api.md), but the refusals that matter to supervisors
 * (a self-approval attempt, a post into a closed month, a role acting beyond its rights) are recorded as
 * this audit event in the cooperative's separate `audit-<coopId>` stream, which the supervisor follows.
 */
export interface CommandRefused {
  readonly type: "CommandRefused";
  readonly data: CommandRefusedData;
}

/**
 * What the rules take: a ledger or audit event of one cooperative, with its stream revision (in the stream
 * it came from) and metadata.
 */
export type SupervisedEvent = (LedgerEvent | CommandRefused) & {
  readonly coopId: string;
  readonly revision: number;
  readonly metadata: SupervisedMetadata;
};

/** A clock tick, the input of the time-driven rules (a dormant cooperative raises no event of its own). */
export interface ClockTick {
  /** RFC 3339 UTC instant of the tick; alerts raised by the tick carry it as raisedAt. */
  readonly now: string;
}
