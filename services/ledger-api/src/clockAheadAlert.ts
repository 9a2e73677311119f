/**
 * The upper bound of the recordedAt clamp (docs/reliability.md section 6, #27): a cooperative's events are
 * recorded no earlier than its stream's last recordedAt, so one event written while some clock read years
 * ahead would pin every later recordedAt of that cooperative to that instant, silently. When the stream's
 * last recordedAt is ahead of this machine's clock by more than RECORDED_AT_LEAD_MAX_MS, the service still
 * records at that instant (never backwards) but logs it and raises an alert of the highest severity, once
 * per cooperative per episode: the episode ends when a write finds the clock caught up again.
 */
import type { EventStore } from "@bukubesar/event-store";
import { recordedAtLeadBeyondLimit } from "@bukubesar/ledger-core";
import { recordServiceAlert } from "./serviceAlert.js";

/** The rule of the alert raised when a cooperative's recordedAt runs ahead of the service's clock. */
export const CLOCK_BEHIND_LEDGER_RULE = "clock_behind_ledger";

export interface ClockAheadServices {
  readonly store: EventStore;
  readonly log: (level: "warn" | "error", message: string, error?: unknown) => void;
}

/** Told of each write's stream recording time and clock reading; raises the alert as described above. */
export type ClockAheadWatch = (
  coopId: string,
  regionCode: string | null,
  lastRecordedAt: string,
  clock: string,
) => void;

export const createClockAheadWatch = (services: ClockAheadServices): ClockAheadWatch => {
  // The cooperatives whose current episode was reported; as many as there are cooperatives at most.
  const reported = new Set<string>();
  return (coopId, regionCode, lastRecordedAt, clock) => {
    const lead = recordedAtLeadBeyondLimit(lastRecordedAt, clock);
    if (lead === null) {
      reported.delete(coopId);
      return;
    }
    if (reported.has(coopId)) return;
    reported.add(coopId);
    services.log(
      "error",
      `cooperative ${coopId}: its ledger was last recorded at ${lastRecordedAt}, ${lead} ms ahead of this machine's clock (${clock}); new events are recorded at that instant until the clock reaches it`,
    );
    recordServiceAlert(
      services.store,
      {
        coopId,
        regionCode: regionCode ?? "",
        rule: CLOCK_BEHIND_LEDGER_RULE,
        severity: "high",
        summary: `Waktu pencatatan buku besar mendahului jam server sejak ${lastRecordedAt}; entri baru dicatat pada waktu itu`,
        details: { lastRecordedAt, clock, leadMs: lead },
        // The pinned instant makes the episode: the same one seen again (another replica, a restart) is
        // the same alert.
        triggerIds: [lastRecordedAt],
      },
      clock,
    ).catch((error: unknown) => {
      // Not recorded: the next write of this cooperative tries again, rather than the episode going
      // unreported until the clock catches up or the process restarts.
      reported.delete(coopId);
      services.log("error", "could not record the clock alert", error);
    });
  };
};
