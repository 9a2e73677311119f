import { once } from "node:events";
import { ledgerJournalChunks } from "@bukubesar/projections";
import { type CommandContext, storeUrlOf } from "./commandContext.js";
import { EXIT_OK, type ExitCode } from "./exitCode.js";
import { loadReadModel } from "./readModelLoader.js";
import { withStore } from "./storeAccess.js";

export interface ExportOptions {
  readonly coop: string;
}

/**
 * `bukubesar export --format ledger`: the same journal as GET …/export?format=ledger, to stdout, written
 * chunk by chunk and waiting whenever stdout's buffer is full, so a long history is never one string in
 * memory.
 */
export const runExport = async (context: CommandContext, options: ExportOptions): Promise<ExitCode> => {
  await withStore(storeUrlOf(context), { mustExist: true }, async (store) => {
    const model = await loadReadModel(store, options.coop);
    for (const chunk of ledgerJournalChunks(model))
      if (!context.stdout.write(chunk)) await once(context.stdout, "drain");
  });
  return EXIT_OK;
};
