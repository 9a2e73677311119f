import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  balanceSheet,
  cashFlow,
  equityChanges,
  generalLedger,
  incomeStatement,
  type LedgerReadModel,
  memberStatement,
  type ReportKind,
  reportToCsv,
  shuReport,
  trialBalance,
} from "@bukubesar/projections";
import { CliError } from "./cli-error.js";
import { type CommandContext, storeUrlOf, writeLine } from "./command-context.js";
import { parseCsvRows } from "./csv-rows.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exit-code.js";
import { DEFAULT_TIME_ZONE, parseDateOption, todayIn } from "./local-date.js";
import { loadReadModel } from "./read-model-loader.js";
import { renderReportPdf } from "./report-pdf.js";
import { withStore } from "./store-access.js";
import { renderTable } from "./text-table.js";

export interface ReportOptions {
  readonly coop: string;
  readonly kind: string;
  readonly asOf?: string;
  readonly from?: string;
  readonly to?: string;
  readonly account?: string;
  readonly member?: string;
  readonly year?: string;
  readonly format: "table" | "json" | "csv" | "pdf";
  readonly out?: string;
}

/** "2025-12-31" as Indonesian documents write it: "31-12-2025". */
const indonesianDate = (date: string): string => date.split("-").reverse().join("-");

interface BuiltReport {
  readonly report: unknown;
  readonly period: string;
}

const need = (value: string | undefined, option: string, kind: string): string => {
  if (value === undefined) throw new CliError(`--kind ${kind} needs ${option}`, EXIT_USAGE);
  return value;
};

/** Computes the report with the projections' own functions: what the API serves for the same query. */
const buildReport = (model: LedgerReadModel, options: ReportOptions): BuiltReport => {
  const today = todayIn(DEFAULT_TIME_ZONE);
  const asOf = parseDateOption(options.asOf ?? today, "--as-of");
  const to = parseDateOption(options.to ?? today, "--to");
  const from = parseDateOption(options.from ?? `${to.slice(0, 4)}-01-01`, "--from");
  const range = `periode ${indonesianDate(from)} s.d. ${indonesianDate(to)}`;
  switch (options.kind) {
    case "trial-balance":
      return { report: trialBalance(model, asOf), period: `per ${indonesianDate(asOf)}` };
    case "balance-sheet":
      return { report: balanceSheet(model, asOf), period: `per ${indonesianDate(asOf)}` };
    case "income-statement":
      return { report: incomeStatement(model, from, to), period: range };
    case "equity-changes":
      return { report: equityChanges(model, from, to), period: range };
    case "cash-flow":
      return { report: cashFlow(model, from, to), period: range };
    case "general-ledger": {
      const account = need(options.account, "--account", options.kind);
      const report = generalLedger(model, account, from, to);
      if (report === null) throw new CliError(`there is no account ${account}`, EXIT_VERIFICATION_FAILED);
      return { report, period: `akun ${account}, ${range}` };
    }
    case "member-statement": {
      const member = need(options.member, "--member", options.kind);
      const report = memberStatement(model, member, asOf);
      if (report === null) throw new CliError(`there is no member ${member}`, EXIT_VERIFICATION_FAILED);
      return { report, period: `anggota ${member}, per ${indonesianDate(asOf)}` };
    }
    case "shu": {
      const yearText = need(options.year, "--year", options.kind);
      if (!/^\d{4}$/.test(yearText)) throw new CliError("--year must be YYYY", EXIT_USAGE);
      return { report: shuReport(model, Number(yearText)), period: `tahun buku ${yearText}` };
    }
    default:
      throw new CliError(`unknown report kind ${options.kind}`, EXIT_USAGE);
  }
};

/** `bukubesar report`: any report as a table, JSON, CSV or an Indonesian PDF. */
export const runReport = async (context: CommandContext, options: ReportOptions): Promise<ExitCode> => {
  const { built, model } = await withStore(storeUrlOf(context), { mustExist: true }, async (store) => {
    const loaded = await loadReadModel(store, options.coop);
    return { built: buildReport(loaded, options), model: loaded };
  });
  const kind = options.kind as ReportKind;
  let output: string | Buffer;
  switch (options.format) {
    case "json":
      output = `${JSON.stringify(built.report, (_key, value) => (typeof value === "bigint" ? value.toString() : value))}\n`;
      break;
    case "csv":
      output = reportToCsv(kind, built.report as never);
      break;
    case "pdf":
      output = await renderReportPdf(options.kind, built.report, {
        id: model.coopId,
        name: model.name,
        regionCode: model.regionCode,
        period: built.period,
      });
      break;
    default: {
      const rows = parseCsvRows(reportToCsv(kind, built.report as never)).filter((row) =>
        row.some((cell) => cell !== ""),
      );
      const header = rows[0] ?? [];
      const body = rows.slice(1);
      const table = renderTable(
        header.map((title, column) => ({
          header: title,
          align: body.some((row) => /^-?\d+\.\d{2}$/.test(row[column] ?? "")) ? "right" : "left",
        })),
        body,
      );
      output = `${model.name ?? model.coopId} — ${options.kind}, ${built.period}\n\n${table}\n`;
    }
  }
  if (options.out !== undefined) {
    writeFileSync(resolve(context.workingDirectory, options.out), output);
    writeLine(context.stderr, `Written to ${options.out}.`);
  } else if (options.format === "pdf" && context.stdout.isTTY === true) {
    throw new CliError("a PDF is not for the terminal: add --out FILE or redirect stdout", EXIT_USAGE);
  } else {
    context.stdout.write(output);
  }
  return EXIT_OK;
};
