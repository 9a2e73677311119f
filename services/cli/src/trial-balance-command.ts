import { trialBalance } from "@bukubesar/projections";
import { type CommandContext, storeUrlOf, writeLine } from "./command-context.js";
import { EXIT_OK, type ExitCode } from "./exit-code.js";
import { DEFAULT_TIME_ZONE, parseDateOption, todayIn } from "./local-date.js";
import { loadReadModel } from "./read-model-loader.js";
import { withStore } from "./store-access.js";
import { renderTable } from "./text-table.js";

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
  writeLine(context.stdout, `Trial balance of ${options.coop} as of ${report.asOf}`);
  writeLine(context.stdout);
  const rows = report.accounts.map((row) => [row.code, row.name, row.debit, row.credit, row.balance]);
  rows.push(["", "Total", report.totals.debit, report.totals.credit, ""]);
  writeLine(
    context.stdout,
    renderTable(
      [
        { header: "Code", align: "left" },
        { header: "Name", align: "left" },
        { header: "Debit", align: "right" },
        { header: "Credit", align: "right" },
        { header: "Balance", align: "right" },
      ],
      rows,
    ),
  );
  return EXIT_OK;
};
