/**
 * What the service does when its SQLite store, recovering from an I/O error, finds that events it had
 * acknowledged are gone (docs/reliability.md section 6, #16): the store stays halted for good, and each
 * cooperative whose ledger lost entries gets an alert of the highest severity, recorded in the same file
 * through the store's recorder (its halt lifted for that alone), so the supervisor and `alerts tail`
 * carry it. The service keeps answering reads; an operator decides what to restore.
 */
import type { AcknowledgedHeadLost, EventStore } from "@bukubesar/event-store";
import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";
import type { CooperativeDirectory } from "@bukubesar/snapshots";
import { recordServiceAlert } from "./serviceAlert.js";

/** The rule of the alert raised when acknowledged events are missing after an I/O error. */
export const STORE_LOSS_RULE = "store_acknowledged_loss";

export interface StoreLossServices {
  readonly now: () => string;
  readonly log: (level: "warn" | "error", message: string, error?: unknown) => void;
  readonly directory: CooperativeDirectory;
}

export const raiseStoreLossAlerts = (
  lost: readonly AcknowledgedHeadLost[],
  recorder: EventStore,
  services: StoreLossServices,
): void => {
  services.log(
    "error",
    `the store lost acknowledged events after an I/O error and takes no more writes: ${JSON.stringify(lost)}`,
  );
  for (const head of lost) {
    if (!head.streamId.startsWith(LEDGER_STREAM_PREFIX)) continue;
    const coopId = head.streamId.slice(LEDGER_STREAM_PREFIX.length);
    const regionCode =
      services.directory.entries().find((entry) => entry.coopId === coopId)?.regionCode ?? "";
    recordServiceAlert(
      recorder,
      {
        coopId,
        regionCode,
        rule: STORE_LOSS_RULE,
        severity: "high",
        summary: "Entri yang sudah diterima hilang dari penyimpanan setelah galat I/O; penulisan dihentikan",
        details: {
          acknowledgedRevision: head.acknowledgedRevision,
          storedRevision: head.storedRevision,
        },
        triggerIds: [String(head.acknowledgedRevision), String(head.storedRevision)],
      },
      services.now(),
    ).catch((error: unknown) => services.log("error", "could not record the store-loss alert", error));
  }
};
