import { trialBalance } from "@bukubesar/projections";
import { documentToText, trialBalanceDocument } from "@bukubesar/report-render";
import { type CommandContext, storeUrlOf, writeLine } from "./command-context.js";
import { EXIT_OK, type ExitCode } from "./exit-code.js";
import { DEFAULT_TIME_ZONE, parseDateOption, todayIn } from "./local-date.js";
import { loadReadModel } from "./read-model-loader.js";
import { withStore } from "./store-access.js";

export interface TrialBalanceOptions {
  readonly coop: string;
  readonly asOf?: string;
  readonly json?: boolean;
}

/** `bukubesar trial-balance`: the same report as GET …/trial-balance, as a table or as its JSON. */
export const runTrialBalance = async (
  context: CommandContext,
  options: TrialBalanceOptions,
): Promise<ExitCode> => {
  const asOfOption = options.asOf === undefined ? null : parseDateOption(options.asOf, "--as-of");
  const report = await withStore(storeUrlOf(context), { mustExist: true }, async (store) => {
    const model = await loadReadModel(store, options.coop);
    return trialBalance(model, asOfOption ?? todayIn(DEFAULT_TIME_ZONE));
  });
  if (options.json === true) {
    writeLine(context.stdout, JSON.stringify(report));
    return EXIT_OK;
  }
  context.stdout.write(`${options.coop}\n${documentToText(trialBalanceDocument(report))}`);
  return EXIT_OK;
};
