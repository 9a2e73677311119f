/**
 * The running service fail-stops on tampering (docs/reliability.md, "Integrity checks cover everything
 * served"). Every event the service folds into a cooperative's snapshot is first checked against the hash
 * chain (ledger-core's `chainBreakAfter`): when a cooperative is loaded its whole stream, afterwards each
 * tail it reads, and in the background the tail of every cooperative in memory, so events written by
 * another process are checked even when nobody asks for that cooperative.
 *
 * A bad event stops the fold just before it: the cooperative is served as it stood at its last sound
 * event, its writes are refused with 503 `ledger_integrity`, `/ready` names it, and a `ledger-integrity`
 * alert (severity high) is recorded in its alerts stream. The alert's id is derived from the cooperative,
 * the revision and the stored hash, so finding the same break again (another load, a restart, another
 * replica) records nothing new. Only an admin may acknowledge that alert; once acknowledged, the stored
 * event is taken as it stands and the chain continues from its stored hash, across restarts too, because
 * the acknowledgement is itself recorded. A different break later is a new alert.
 *
 * `advanceVerified` is the one hook every loading path calls instead of `advanceSnapshot`.
 */

import type { AlertRaisedData, AlertsIndex } from "@bukubesar/alerts";
import { ALERT_RAISED, alertsStreamId } from "@bukubesar/alerts";
import { appendChained, type EventStore, isStoreFailureOf } from "@bukubesar/event-store";
import {
  chainBreakAfter,
  type MalformedStoredEvent,
  type RecordedLedgerEvent,
  uuidV5,
} from "@bukubesar/ledger-core";
import { advanceSnapshot, type LedgerSnapshot } from "@bukubesar/snapshots";
import { ApiProblem } from "./problem.js";

/** The rule name of the alert a broken chain raises. */
export const LEDGER_INTEGRITY_RULE = "ledger-integrity";
/** Our own namespace for integrity alert ids (fixed forever: changing it re-raises every known break). */
const INTEGRITY_ALERT_NAMESPACE = "3c0d9a51-7e2b-5f46-a8d1-5b6c7e8f9a0b";
/** Shown as the region of an alert when the broken event is the cooperative's opening itself. */
const UNKNOWN_REGION = "00";

/** A cooperative whose chain broke: where, why, and the alert that tells about it. */
export interface IntegrityBreak {
  readonly coopId: string;
  readonly revision: number;
  readonly reason: string;
  readonly storedHash: string;
  readonly alertId: string;
  readonly detectedAt: string;
}

const storedHashOf = (event: RecordedLedgerEvent): string =>
  typeof event.metadata.hash === "string" ? event.metadata.hash : "";

/** The id of the alert for one break: the same wherever and however often the break is found. */
export const integrityAlertIdOf = (coopId: string, revision: number, storedHash: string): string =>
  uuidV5(INTEGRITY_ALERT_NAMESPACE, `${coopId}\u0000${revision}\u0000${storedHash}`);

export interface LedgerIntegrityOptions {
  readonly store: EventStore;
  readonly alerts: AlertsIndex;
  readonly now: () => string;
  /** Told when a break is first found by this process (the server logs it). */
  readonly onBreak?: (found: IntegrityBreak) => void;
  /** Told when the alert of a break could not be recorded (the server logs it). */
  readonly onAlertError?: (error: unknown) => void;
}

export class LedgerIntegrity {
  private readonly broken = new Map<string, IntegrityBreak>();

  constructor(private readonly options: LedgerIntegrityOptions) {}

  /**
   * Folds the events that follow the snapshot into it (in place) as far as the hash chain holds. Returns
   * false when it stopped at a bad event: the snapshot then stays at the last sound one and the
   * cooperative is read-only until an admin acknowledges the break's alert.
   */
  async advanceVerified(
    snapshot: LedgerSnapshot,
    events: readonly RecordedLedgerEvent[],
    malformed: MalformedStoredEvent | null = null,
  ): Promise<boolean> {
    const fresh = events.filter((event) => event.revision > snapshot.revision);
    let head = { revision: snapshot.revision, headHash: snapshot.headHash };
    for (let index = 0; index < fresh.length; index += 1) {
      const event = fresh[index] as RecordedLedgerEvent;
      const reason = chainBreakAfter(head, event);
      // An acknowledged event is taken as stored; a missing one (a gap) cannot be, whatever was acknowledged.
      const follows = event.revision === head.revision + 1;
      if (reason !== null && !(follows && this.isAcknowledged(snapshot.coopId, event))) {
        advanceSnapshot(snapshot, fresh.slice(0, index));
        await this.report(snapshot, event.revision, storedHashOf(event), reason);
        return false;
      }
      head = { revision: event.revision, headHash: storedHashOf(event) };
    }
    advanceSnapshot(snapshot, fresh);
    // An event that is no ledger event at all breaks the chain where it stands; it is never folded, so
    // even an acknowledged one leaves the cooperative read-only.
    if (malformed === null) return true;
    await this.report(snapshot, Number(malformed.revision), "", malformed.reason);
    return false;
  }

  /** Refuses a write to a cooperative whose chain is broken and not acknowledged. */
  assertWritable(coopId: string): void {
    const found = this.broken.get(coopId);
    if (found === undefined) return;
    throw new ApiProblem(
      "ledger_integrity",
      `The ledger of ${coopId} does not match its hash chain at revision ${found.revision} (${found.reason}); it is read-only until an admin acknowledges alert ${found.alertId}.`,
    );
  }

  /** The cooperatives that are read-only because of a broken chain. */
  breaks(): readonly IntegrityBreak[] {
    return [...this.broken.values()];
  }

  /** The cooperative's unacknowledged break, if its chain broke. */
  breakOf(coopId: string): IntegrityBreak | undefined {
    return this.broken.get(coopId);
  }

  /** The break an integrity alert stands for, if this process holds it. */
  breakOfAlert(alertId: string): IntegrityBreak | undefined {
    for (const found of this.broken.values()) if (found.alertId === alertId) return found;
    return undefined;
  }

  /** Lifts the read-only state after the alert was acknowledged; the next load folds the event as stored. */
  lift(coopId: string): void {
    this.broken.delete(coopId);
  }

  private isAcknowledged(coopId: string, event: RecordedLedgerEvent): boolean {
    const alert = this.options.alerts.get(integrityAlertIdOf(coopId, event.revision, storedHashOf(event)));
    return alert !== null && alert.acknowledgements.length > 0;
  }

  private async report(
    snapshot: LedgerSnapshot,
    revision: number,
    storedHash: string,
    reason: string,
  ): Promise<void> {
    const { coopId } = snapshot;
    const alertId = integrityAlertIdOf(coopId, revision, storedHash);
    if (this.broken.get(coopId)?.alertId === alertId) return;
    const detectedAt = this.options.now();
    const found: IntegrityBreak = {
      coopId,
      revision,
      reason,
      storedHash,
      alertId,
      detectedAt,
    };
    this.broken.set(coopId, found);
    this.options.onBreak?.(found);
    if (this.options.alerts.get(alertId) !== null) return;
    const data: AlertRaisedData = {
      alertId,
      rule: LEDGER_INTEGRITY_RULE,
      severity: "high",
      coopId,
      regionCode: snapshot.state.regionCode ?? UNKNOWN_REGION,
      entryIds: [],
      summary: `Rantai hash buku besar ${coopId} rusak pada revisi ${revision}: koperasi hanya-baca sampai admin memeriksa.`,
      raisedAt: detectedAt,
      details: { revision, reason, storedHash },
      triggerPosition: null,
      triggerEventId: null,
    };
    try {
      await appendChained(this.options.store, alertsStreamId(coopId), [
        {
          eventId: alertId,
          type: ALERT_RAISED,
          data,
          metadata: { principalId: "api", role: "system", recordedAt: detectedAt },
        },
      ]);
    } catch (error) {
      // Another replica may have recorded the same alert first (its id is the event id). Whatever the
      // cause, the cooperative stays read-only here: failing to tell is no reason to accept writes.
      if (!isStoreFailureOf(error, "EventIdReused")) this.options.onAlertError?.(error);
    }
  }
}
