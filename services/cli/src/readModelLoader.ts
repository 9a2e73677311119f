import type { EventStore } from "@bukubesar/event-store";
import { type OverheadBasis, recordedLedgerEventOf, type Settings } from "@bukubesar/ledger-core";
import { buildReadModel, type LedgerReadModel } from "@bukubesar/projections";
import { CliError } from "./cliError.js";
import { EXIT_VERIFICATION_FAILED } from "./exitCode.js";
import { ledgerStreamOf, readStreamPages } from "./storeAccess.js";

/**
 * One cooperative's read model, built from its ledger stream with the projections' own fold (the same
 * code the API's reports use, so the command prints what the API serves). An unknown cooperative is
 * refused input (exit 1).
 */
export const loadReadModel = async (store: EventStore, coopId: string): Promise<LedgerReadModel> =>
  (await loadReadModelWithHead(store, coopId)).model;

/**
 * The latest settings recorded (opening or change): the read model leaves settings out, and the documents
 * need only the nomor badan hukum (headings) and the overhead basis (unit results).
 */
const settingsIn = (event: { type: string; data: unknown }, current: Partial<Settings> | null) => {
  if (event.type !== "LedgerOpened" && event.type !== "SettingsChanged") return current;
  return (event.data as { settings?: Partial<Settings> }).settings ?? null;
};

/**
 * The read model, the hash of the chain's last event (printed in report footers), the badan hukum number and
 * the overhead basis of the unit results (null when not set).
 */
export const loadReadModelWithHead = async (
  store: EventStore,
  coopId: string,
): Promise<{
  model: LedgerReadModel;
  headHash: string | null;
  legalEntityNumber: string | null;
  overheadBasis: OverheadBasis | null;
}> => {
  const events = [];
  let settings: Partial<Settings> | null = null;
  for await (const page of readStreamPages(store, ledgerStreamOf(coopId))) {
    for (const event of page) {
      const recorded = recordedLedgerEventOf(event);
      settings = settingsIn(recorded, settings);
      events.push(recorded);
    }
  }
  if (events.length === 0) {
    throw new CliError(`there is no cooperative ${coopId} in this store`, EXIT_VERIFICATION_FAILED);
  }
  const last = events[events.length - 1]?.metadata as { hash?: unknown } | undefined;
  return {
    model: buildReadModel(coopId, events),
    headHash: typeof last?.hash === "string" ? last.hash : null,
    legalEntityNumber: typeof settings?.legalEntityNumber === "string" ? settings.legalEntityNumber : null,
    overheadBasis: settings?.overheadBasis ?? null,
  };
};
