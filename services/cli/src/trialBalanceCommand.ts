import { trialBalance } from "@bukubesar/projections";
import { documentToText, trialBalanceDocument } from "@bukubesar/report-render";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, type ExitCode } from "./exitCode.js";
import { DEFAULT_TIME_ZONE, parseDateOption, todayIn } from "./localDate.js";
import { loadReadModel } from "./readModelLoader.js";
import { withStore } from "./storeAccess.js";

export interface TrialBalanceOptions {
  readonly coop: string;
  readonly asOf?: string;
  readonly json?: boolean;
  /** Leave out the closing entries dated as of: a closed year's neraca saldo sebelum penutupan. */
  readonly beforeClosing?: boolean;
}

/** `bukubesar trial-balance`: the same report as GET …/trial-balance, as a table or as its JSON. */
export const runTrialBalance = async (
  context: CommandContext,
  options: TrialBalanceOptions,
): Promise<ExitCode> => {
  const asOfOption = options.asOf === undefined ? null : parseDateOption(options.asOf, "--as-of");
  const today = todayIn(DEFAULT_TIME_ZONE);
  const { report, name } = await withStore(storeUrlOf(context), { mustExist: true }, async (store) => {
    const model = await loadReadModel(store, options.coop);
    const report = trialBalance(model, asOfOption ?? today, {
      beforeClosing: options.beforeClosing === true,
    });
    return { report, name: model.name ?? model.coopId };
  });
  if (options.json === true) {
    writeLine(context.stdout, JSON.stringify(report));
    return EXIT_OK;
  }
  context.stdout.write(
    documentToText(trialBalanceDocument(report), { cooperativeName: name, printedOn: today }),
  );
  return EXIT_OK;
};
