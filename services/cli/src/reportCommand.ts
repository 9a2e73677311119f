import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { LedgerReadModel } from "@bukubesar/projections";
import {
  balanceSheet,
  cashFlow,
  equityChanges,
  generalLedger,
  incomeStatement,
  journal,
  memberStatement,
  shuReport,
  trialBalance,
  unitResults,
  unitSummary,
} from "@bukubesar/projections";
import {
  type DocumentKind,
  type DocumentQuery,
  type DocumentSetting,
  documentSettingOf,
  documentToCsv,
  documentToText,
  isDocumentKind,
  pdfFontWarning,
  type ReportDocument,
  ratPackDocuments,
  renderDocumentPdf,
  renderDocumentsPdf,
  reportDocumentFor,
} from "@bukubesar/report-render";
import { CliError } from "./cliError.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exitCode.js";
import { DEFAULT_TIME_ZONE, parseDateOption, todayIn } from "./localDate.js";
import { loadReadModelWithHead } from "./readModelLoader.js";
import { withStore } from "./storeAccess.js";

export interface ReportOptions {
  readonly coop: string;
  readonly kind?: string;
  readonly asOf?: string;
  readonly from?: string;
  readonly to?: string;
  readonly account?: string;
  readonly member?: string;
  readonly year?: string;
  readonly format: "table" | "json" | "csv" | "pdf";
  readonly out?: string;
}

const need = (value: string | undefined, option: string, kind: string): string => {
  if (value === undefined) throw new CliError(`--kind ${kind} needs ${option}`, EXIT_USAGE);
  return value;
};

/** The period and subject the options ask for, checked: what both the JSON and the documents use. */
const queryOf = (kind: DocumentKind, options: ReportOptions, today: string): DocumentQuery => {
  const asOf = parseDateOption(options.asOf ?? today, "--as-of");
  const to = parseDateOption(options.to ?? today, "--to");
  const from = parseDateOption(options.from ?? `${to.slice(0, 4)}-01-01`, "--from");
  const query: DocumentQuery = { asOf, from, to };
  switch (kind) {
    case "general-ledger":
      return { ...query, account: need(options.account, "--account", kind) };
    case "member-statement":
      return { ...query, memberId: need(options.member, "--member", kind) };
    case "shu": {
      const year = need(options.year, "--year", kind);
      if (!/^\d{4}$/.test(year)) throw new CliError("--year must be YYYY", EXIT_USAGE);
      return { ...query, year: Number(year) };
    }
    default:
      return query;
  }
};

/** The report as the API's JSON serves it, computed with the projections' own functions. */
const jsonReport = (kind: DocumentKind, model: LedgerReadModel, query: DocumentQuery): unknown => {
  switch (kind) {
    case "trial-balance":
      return trialBalance(model, query.asOf);
    case "balance-sheet":
      return balanceSheet(model, query.asOf);
    case "income-statement":
      return incomeStatement(model, query.from, query.to);
    case "equity-changes":
      return equityChanges(model, query.from, query.to);
    case "cash-flow":
      return cashFlow(model, query.from, query.to);
    case "general-ledger":
      return generalLedger(model, query.account ?? "", query.from, query.to);
    case "journal":
      return journal(model, query.from, query.to);
    case "member-statement":
      return memberStatement(model, query.memberId ?? "", query.asOf);
    case "unit-summary":
      return unitSummary(model, query.from, query.to);
    case "unit-results":
      return unitResults(model, query.from, query.to, query.overheadBasis);
    case "shu":
      return shuReport(model, query.year ?? Number(query.to.slice(0, 4)));
    case "notes":
      // The notes exist only as a document: their JSON is the document's rows.
      return reportDocumentFor(kind, model, query);
  }
};

const missingSubject = (query: DocumentQuery): CliError =>
  query.account !== undefined
    ? new CliError(`there is no account ${query.account}`, EXIT_VERIFICATION_FAILED)
    : new CliError(`there is no member ${query.memberId ?? ""}`, EXIT_VERIFICATION_FAILED);

/** Writes the output to --out, or to stdout (never a PDF to a terminal). */
const deliver = (
  context: CommandContext,
  options: ReportOptions,
  output: string | Buffer,
  isPdf: boolean,
): void => {
  if (options.out !== undefined) {
    writeFileSync(resolve(context.workingDirectory, options.out), output);
    writeLine(context.stderr, `Written to ${options.out}.`);
  } else if (isPdf && context.stdout.isTTY === true) {
    throw new CliError("a PDF is not for the terminal: add --out FILE or redirect stdout", EXIT_USAGE);
  } else {
    context.stdout.write(output);
  }
};

/** `bukubesar report rat-pack`: the whole RAT pack of a fiscal year, always one PDF. */
const runRatPack = async (context: CommandContext, options: ReportOptions): Promise<ExitCode> => {
  if (options.format !== "pdf" && options.format !== "table")
    throw new CliError("the RAT pack is a PDF: leave out --format or give --format pdf", EXIT_USAGE);
  const year = need(options.year, "--year", "rat-pack");
  if (!/^\d{4}$/.test(year)) throw new CliError("--year must be YYYY", EXIT_USAGE);
  const { model, headHash, legalEntityNumber } = await withStore(
    storeUrlOf(context),
    { mustExist: true },
    (store) => loadReadModelWithHead(store, options.coop),
  );
  const warning = pdfFontWarning();
  if (warning !== null) writeLine(context.stderr, `Warning: ${warning}.`);
  const printedOn = todayIn(DEFAULT_TIME_ZONE);
  const setting = documentSettingOf(model, { printedOn, headHash, legalEntityNumber });
  const documents = ratPackDocuments(model, Number(year), legalEntityNumber);
  deliver(context, options, await renderDocumentsPdf(documents, setting), true);
  return EXIT_OK;
};

/** `bukubesar report`: any report as a statement-like table, JSON, CSV or an Indonesian PDF. */
export const runReport = async (context: CommandContext, options: ReportOptions): Promise<ExitCode> => {
  const kind = options.kind;
  if (kind === undefined)
    throw new CliError("say which report: --kind KIND (or report rat-pack)", EXIT_USAGE);
  if (kind === "rat-pack") return runRatPack(context, options);
  if (!isDocumentKind(kind)) throw new CliError(`unknown report kind ${kind}`, EXIT_USAGE);
  const today = todayIn(DEFAULT_TIME_ZONE);
  const { model, headHash, legalEntityNumber, overheadBasis } = await withStore(
    storeUrlOf(context),
    { mustExist: true },
    (store) => loadReadModelWithHead(store, options.coop),
  );
  const query = {
    ...queryOf(kind, options, today),
    legalEntityNumber,
    ...(overheadBasis === null ? {} : { overheadBasis }),
  };
  let output: string | Buffer;
  if (options.format === "json") {
    const report = jsonReport(kind, model, query);
    if (report === null) throw missingSubject(query);
    output = `${JSON.stringify(report, (_key, value) => (typeof value === "bigint" ? value.toString() : value))}\n`;
  } else {
    const document = reportDocumentFor(kind, model, query);
    if (document === null) throw missingSubject(query);
    const setting = documentSettingOf(model, { printedOn: today, headHash, legalEntityNumber });
    output = await renderedDocument(context, options.format, document, setting);
  }
  deliver(context, options, output, options.format === "pdf");
  return EXIT_OK;
};

/** The document as CSV, as a PDF (warning first when a script's font is missing) or as a text table. */
const renderedDocument = async (
  context: CommandContext,
  format: ReportOptions["format"],
  document: ReportDocument,
  setting: DocumentSetting,
): Promise<string | Buffer> => {
  if (format === "csv") return documentToCsv(document);
  if (format !== "pdf") return documentToText(document, setting);
  // Said before printing, so a PDF missing a script's font is never a surprise later.
  const warning = pdfFontWarning();
  if (warning !== null) writeLine(context.stderr, `Warning: ${warning}.`);
  return renderDocumentPdf(document, setting);
};
