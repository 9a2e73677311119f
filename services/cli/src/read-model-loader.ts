import type { EventStore } from "@bukubesar/event-store";
import { buildReadModel, type LedgerReadModel } from "@bukubesar/projections";
import { CliError } from "./cli-error.js";
import { EXIT_VERIFICATION_FAILED } from "./exit-code.js";
import { toRecordedLedgerEvent } from "./projection-comparison.js";
import { ledgerStreamOf, readStreamPages } from "./store-access.js";

/**
 * One cooperative's read model, built from its ledger stream with the projections' own fold (the same
 * code the API's reports use, so the command prints what the API serves). An unknown cooperative is
 * refused input (exit 1).
 */
export const loadReadModel = async (store: EventStore, coopId: string): Promise<LedgerReadModel> =>
  (await loadReadModelWithHead(store, coopId)).model;

/** The read model and the hash of the chain's last event (printed in report footers). */
export const loadReadModelWithHead = async (
  store: EventStore,
  coopId: string,
): Promise<{ model: LedgerReadModel; headHash: string | null }> => {
  const events = [];
  for await (const page of readStreamPages(store, ledgerStreamOf(coopId))) {
    for (const event of page) events.push(toRecordedLedgerEvent(event));
  }
  if (events.length === 0) {
    throw new CliError(`there is no cooperative ${coopId} in this store`, EXIT_VERIFICATION_FAILED);
  }
  const last = events[events.length - 1]?.metadata as { hash?: unknown } | undefined;
  return {
    model: buildReadModel(coopId, events),
    headHash: typeof last?.hash === "string" ? last.hash : null,
  };
};
