/**
 * The one checked way from an event as a store returns it to a ledger event. A store knows nothing of
 * the ledger (its events are a type, data and metadata), so whatever reads a ledger stream passes each
 * event through `recordedLedgerEventOf` instead of asserting its type: an event of a type the ledger does
 * not know, or without the chain's metadata, stops the read with `MalformedStoredEvent` instead of being
 * folded as something it is not. The envelope is checked here; the data is vouched for by the hash chain,
 * which every reader that folds a ledger verifies (docs/hash-chain.md).
 */
import type { LedgerEventType, RecordedLedgerEvent } from "./events.js";

/** Every ledger event type, as a record so that adding a type to LedgerEvent without it fails to compile. */
const LEDGER_EVENT_TYPES: Readonly<Record<LedgerEventType, true>> = {
  LedgerOpened: true,
  SettingsChanged: true,
  AccountOpened: true,
  AccountTagged: true,
  AccountClosed: true,
  MemberRegistered: true,
  MemberExitRequested: true,
  MemberExited: true,
  MemberExitReversed: true,
  JournalEntryProposed: true,
  JournalEntryApproved: true,
  JournalEntryRejected: true,
  JournalEntryPosted: true,
  JournalEntryReversed: true,
  PeriodClosed: true,
  PeriodReopened: true,
  FiscalYearCloseRequested: true,
  FiscalYearClosed: true,
  FiscalYearReopened: true,
  RatDecisionProposed: true,
  YearEndStepRejected: true,
  RatDecisionRecorded: true,
};

export const isLedgerEventType = (type: unknown): type is LedgerEventType =>
  typeof type === "string" && Object.hasOwn(LEDGER_EVENT_TYPES, type);

/** An event in a ledger stream that is not a ledger event: corrupt or foreign data, never folded. */
export class MalformedStoredEvent extends Error {
  constructor(
    readonly revision: unknown,
    readonly reason: string,
  ) {
    super(`the stored event at revision ${String(revision)} is not a ledger event: ${reason}`);
    this.name = "MalformedStoredEvent";
  }
}

/** What a store gives back of an event; every store's StoredEvent has these fields. */
export interface StoredEventEnvelope {
  readonly type: string;
  readonly data: unknown;
  readonly revision: number;
  readonly metadata: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Why an event's type, revision and data are not a ledger event's, or null when they are: the part of the
 * check a fold read makes too, which has no metadata to check (the projections' read for folds).
 */
export const ledgerEventBodyProblem = (stored: Omit<StoredEventEnvelope, "metadata">): string | null => {
  if (!isLedgerEventType(stored.type)) return `unknown type ${JSON.stringify(stored.type)}`;
  if (!Number.isSafeInteger(stored.revision) || stored.revision < 0) return "no revision";
  if (!isObject(stored.data)) return "its data is not an object";
  return null;
};

/** Why the envelope is not a recorded ledger event, or null when it is one. */
const envelopeProblem = (stored: StoredEventEnvelope): string | null => {
  const bodyProblem = ledgerEventBodyProblem(stored);
  if (bodyProblem !== null) return bodyProblem;
  const metadata = stored.metadata;
  if (!isObject(metadata)) return "no metadata";
  if (typeof metadata.eventId !== "string") return "no event id";
  if (typeof metadata.hash !== "string" || typeof metadata.prevHash !== "string") return "no chain hashes";
  if (typeof metadata.recordedAt !== "string") return "no recording time";
  return null;
};

/** The ledger event a store returned, checked; throws MalformedStoredEvent when it is not one. */
export const recordedLedgerEventOf = (stored: StoredEventEnvelope): RecordedLedgerEvent => {
  const problem = envelopeProblem(stored);
  if (problem !== null) throw new MalformedStoredEvent(stored.revision, problem);
  // Checked above: a known type, an object of data, the chain's metadata.
  return {
    type: stored.type,
    data: stored.data,
    revision: stored.revision,
    metadata: stored.metadata,
  } as RecordedLedgerEvent;
};
