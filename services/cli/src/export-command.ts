import { exportLedgerJournal } from "@bukubesar/projections";
import { type CommandContext, storeUrlOf } from "./command-context.js";
import { EXIT_OK, type ExitCode } from "./exit-code.js";
import { loadReadModel } from "./read-model-loader.js";
import { withStore } from "./store-access.js";

export interface ExportOptions {
  readonly coop: string;
}

/** `bukubesar export --format ledger`: the same journal as GET …/export?format=ledger, to stdout. */
export const runExport = async (context: CommandContext, options: ExportOptions): Promise<ExitCode> => {
  const journal = await withStore(storeUrlOf(context), { mustExist: true }, async (store) =>
    exportLedgerJournal(await loadReadModel(store, options.coop)),
  );
  context.stdout.write(journal.endsWith("\n") ? journal : `${journal}\n`);
  return EXIT_OK;
};
