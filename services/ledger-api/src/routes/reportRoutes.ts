/**
 * Reports, read from the cooperative's read model, held with its ledger at the same revision. Report functions
 * are looked up by name so that reports the projections package adds later light up without a change
 * here; until one exists its route answers 501 with a problem.
 */

import { Readable } from "node:stream";
import {
  AccountCode,
  EntryId,
  LocalDate,
  literals,
  MemberId,
  queryObject,
  UnitCodec,
  YearParam,
} from "@bukubesar/contract";
import type { LedgerReadModel } from "@bukubesar/projections";
import * as projections from "@bukubesar/projections";
import {
  type DocumentKind,
  type DocumentQuery,
  documentSettingOf,
  documentToCsv,
  entryReceipt,
  pdfFontWarning,
  previousStatement,
  ratPackDocuments,
  receiptDocument,
  reportDocumentFor,
  type StatementKind,
  shuSlip,
  shuSlipDocument,
} from "@bukubesar/report-render";
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import {
  type ApiContext,
  cooperativeFor,
  minRevisionOf,
  type RoutesOptions,
  reflectRevision,
  revisionUnavailable,
  todayIn,
} from "../apiContext.js";
import { decodePath, decodeQuery } from "../decode.js";
import { describe } from "../openApi.js";
import { ApiProblem } from "../problem.js";
import { JSON_MEDIA_TYPE, ReportAnswers } from "../reportAnswers.js";

type ReportFunction = (model: LedgerReadModel, ...args: never[]) => unknown;

const reportFunction = (name: string): ReportFunction => {
  const candidate = (projections as unknown as Record<string, unknown>)[name];
  if (typeof candidate !== "function") {
    throw new ApiProblem("not_implemented", `The ${name} report is not available in this build.`);
  }
  return candidate as ReportFunction;
};

const FormatCodec = literals("Format", ["json", "csv", "pdf"] as const);
const ReportQuery = queryObject("ReportQuery", {
  asOf: LocalDate,
  from: LocalDate,
  to: LocalDate,
  unit: UnitCodec,
  format: FormatCodec,
  year: YearParam,
});

const UnitResultsQuery = queryObject("UnitResultsQuery", {
  from: LocalDate,
  to: LocalDate,
  format: FormatCodec,
});

const TrialBalanceQuery = queryObject("TrialBalanceQuery", {
  asOf: LocalDate,
  format: FormatCodec,
  beforeClosing: literals("BeforeClosing", ["true", "false"] as const),
});

/** The statements' query: the report's, plus compare=previous for the previous period in the JSON. */
const StatementQuery = queryObject("StatementQuery", {
  asOf: LocalDate,
  from: LocalDate,
  to: LocalDate,
  unit: UnitCodec,
  format: FormatCodec,
  year: YearParam,
  compare: literals("Compare", ["previous"] as const),
});

const STATEMENT_KINDS: ReadonlySet<string> = new Set([
  "balance-sheet",
  "income-statement",
  "equity-changes",
  "cash-flow",
]);

const ExportQuery = queryObject("ExportQuery", {
  format: literals("ExportFormat", ["ledger"] as const),
  asOf: LocalDate,
});

type CoopParams = { Params: { coopId: string } };

/** The nomor badan hukum the cooperative's settings record, printed in every document's heading. */
const legalEntityNumberOf = (snapshot: LedgerSnapshot): string | null =>
  snapshot.state.settings?.legalEntityNumber ?? null;

/** Whether a report's `format` asks for its JSON (the default). */
const isJson = (format: string | undefined): boolean => format !== "csv" && format !== "pdf";

/**
 * The JSON of a report: the report itself, and for a statement asked with compare=previous the previous
 * period beside it (the documents always carry the comparative).
 */
const jsonOf = (
  kind: DocumentKind,
  report: unknown,
  model: LedgerReadModel,
  query: DocumentQuery,
  compare?: "previous",
): unknown =>
  compare === "previous" && STATEMENT_KINDS.has(kind)
    ? { ...(report as object), previous: previousStatement(kind as StatementKind, model, query) }
    : report;

/** What the report routes share: the read model they answer from, the answer in each format, the dates. */
const reportTools = (context: ApiContext) => {
  const answers = new ReportAnswers();
  /** The read model of a cooperative the principal may read, including every write it can know of. */
  const modelFor = async (
    request: FastifyRequest<CoopParams>,
  ): Promise<{ snapshot: LedgerSnapshot; model: LedgerReadModel }> => {
    const snapshot = await cooperativeFor(context, request, request.params.coopId, "read");
    // The load read the stream from the store, so the model includes writes made through other replicas,
    // and it is held at the ledger's revision (@bukubesar/snapshots, ledgerSnapshot.ts).
    const model = snapshot.model;
    const minRevision = minRevisionOf(request);
    if (minRevision !== null && model.revision < minRevision)
      throw revisionUnavailable(minRevision, model.revision);
    reflectRevision(request, model.revision);
    return { snapshot, model };
  };

  /**
   * JSON is the report itself; CSV and PDF render the report's document (rows with their roles, and for
   * the statements the previous year beside this one) with the cooperative's heading and footer.
   */
  const respond = async (
    reply: FastifyReply,
    kind: DocumentKind,
    format: string | undefined,
    report: unknown,
    { snapshot, model }: { snapshot: LedgerSnapshot; model: LedgerReadModel },
    query: DocumentQuery,
    compare?: "previous",
  ) => {
    if (isJson(format)) return jsonOf(kind, report, model, query, compare);
    const legalEntityNumber = legalEntityNumberOf(snapshot);
    const document = reportDocumentFor(kind, model, { ...query, legalEntityNumber });
    if (document === null) throw new ApiProblem("not_found", "Nothing to print for this report.");
    if (format === "csv") return reply.type("text/csv; charset=utf-8").send(documentToCsv(document));
    const setting = printSettingOf({ snapshot, model });
    const warning = pdfFontWarning();
    if (warning !== null) reply.log.warn({ kind }, warning);
    return reply.type("application/pdf").send(await context.pdf.render([document], setting));
  };

  /**
   * The JSON answer to `question` (everything the report depends on besides the ledger), kept for the
   * snapshot at its revision and built by `build` only when not kept (reportAnswers.ts).
   */
  const answerJson = (
    reply: FastifyReply,
    { snapshot, model }: { snapshot: LedgerSnapshot; model: LedgerReadModel },
    question: string,
    build: () => unknown,
  ) => reply.type(JSON_MEDIA_TYPE).send(answers.answer(snapshot, model.revision, question, build));

  const today = (snapshot: LedgerSnapshot) =>
    todayIn(snapshot.state.settings?.timeZone ?? "Asia/Jakarta", context.now());

  /** What every printed page carries: the print date in the cooperative's zone, the chain head, the badan hukum number. */
  const printSettingOf = ({ snapshot, model }: { snapshot: LedgerSnapshot; model: LedgerReadModel }) =>
    documentSettingOf(model, {
      printedOn: today(snapshot),
      headHash: snapshot.headHash,
      legalEntityNumber: legalEntityNumberOf(snapshot),
    });
  const yearStart = (date: string) => `${date.slice(0, 4)}-01-01`;
  return { modelFor, respond, answerJson, today, printSettingOf, yearStart };
};

type ReportTools = ReturnType<typeof reportTools>;

/** A report as of a date (a statement at a year-end, say). */
const asOfReport = (
  app: FastifyInstance,
  tools: ReportTools,
  path: string,
  kind: DocumentKind,
  functionName: string,
) => {
  const { modelFor, respond, answerJson, today, yearStart } = tools;
  app.get<CoopParams>(
    `/v1/cooperatives/:coopId/${path}`,
    describe(
      "reports",
      `${kind} as of a date (asOf, default today); format=csv|pdf${
        STATEMENT_KINDS.has(kind) ? "; compare=previous adds the previous year-end" : ""
      }.`,
      { query: STATEMENT_KINDS.has(kind) ? StatementQuery : ReportQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const query = decodeQuery(STATEMENT_KINDS.has(kind) ? StatementQuery : ReportQuery, request.query);
      const compare = "compare" in query && query.compare === "previous" ? query.compare : undefined;
      const asOf = query.asOf ?? today(loaded.snapshot);
      const run = reportFunction(functionName) as unknown as (m: LedgerReadModel, asOf: string) => unknown;
      const period = { asOf, from: yearStart(asOf), to: asOf };
      if (isJson(query.format))
        return answerJson(reply, loaded, `${kind}\n${asOf}\n${compare ?? ""}`, () =>
          jsonOf(kind, run(loaded.model, asOf), loaded.model, period, compare),
        );
      return respond(reply, kind, query.format, run(loaded.model, asOf), loaded, period, compare);
    },
  );
};

/** A report over a range of dates. */
const rangeReport = (
  app: FastifyInstance,
  tools: ReportTools,
  path: string,
  kind: DocumentKind,
  functionName: string,
  withUnit = false,
) => {
  const { modelFor, respond, answerJson, today, yearStart } = tools;
  app.get<CoopParams>(
    `/v1/cooperatives/:coopId/${path}`,
    describe(
      "reports",
      `${kind} from/to (inclusive); format=csv|pdf; compare=previous adds the same range a year earlier.`,
      { query: StatementQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const { model } = loaded;
      const query = decodeQuery(StatementQuery, request.query);
      const to = query.to ?? today(loaded.snapshot);
      const from = query.from ?? yearStart(to);
      const run = reportFunction(functionName) as unknown as (
        m: LedgerReadModel,
        from: string,
        to: string,
        unit?: string,
      ) => unknown;
      const unit = withUnit ? query.unit : undefined;
      const report = () => (unit !== undefined ? run(model, from, to, unit) : run(model, from, to));
      const period = { asOf: to, from, to, ...(unit === undefined ? {} : { unit }) };
      if (isJson(query.format))
        return answerJson(
          reply,
          loaded,
          `${kind}\n${from}\n${to}\n${unit ?? ""}\n${query.compare ?? ""}`,
          () => jsonOf(kind, report(), model, period, query.compare),
        );
      return respond(reply, kind, query.format, report(), loaded, period, query.compare);
    },
  );
};

/** The trial balance, the statements and the units' results. */
const statementReports = (app: FastifyInstance, tools: ReportTools): void => {
  const { modelFor, respond, answerJson, today, yearStart } = tools;
  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/trial-balance",
    describe(
      "reports",
      "trial-balance as of a date (asOf, default today): turnover and balance columns; beforeClosing=true leaves out that day's closing entries (neraca saldo sebelum penutupan); format=csv|pdf.",
      { query: TrialBalanceQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const query = decodeQuery(TrialBalanceQuery, request.query);
      const asOf = query.asOf ?? today(loaded.snapshot);
      const beforeClosing = query.beforeClosing === "true";
      const report = () => projections.trialBalance(loaded.model, asOf, { beforeClosing });
      if (isJson(query.format))
        return answerJson(reply, loaded, `trial-balance\n${asOf}\n${beforeClosing}`, report);
      return respond(reply, "trial-balance", query.format, report(), loaded, {
        asOf,
        from: yearStart(asOf),
        to: asOf,
        beforeClosing,
      });
    },
  );
  asOfReport(app, tools, "balance-sheet", "balance-sheet", "balanceSheet");
  rangeReport(app, tools, "income-statement", "income-statement", "incomeStatement", true);
  rangeReport(app, tools, "equity-changes", "equity-changes", "equityChanges");
  rangeReport(app, tools, "cash-flow", "cash-flow", "cashFlow");

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/unit-results",
    describe(
      "reports",
      "unit-results from/to (inclusive): each business unit's direct result, its share of the office's overhead (by the settings' overheadBasis, revenue share by default) and its result after it; lines without a unit as tidak dialokasikan; format=csv|pdf.",
      { query: UnitResultsQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const query = decodeQuery(UnitResultsQuery, request.query);
      const to = query.to ?? today(loaded.snapshot);
      const from = query.from ?? yearStart(to);
      const overheadBasis =
        loaded.snapshot.state.settings?.overheadBasis ?? projections.OVERHEAD_BASIS_DEFAULT;
      const report = projections.unitResults(loaded.model, from, to, overheadBasis);
      return respond(reply, "unit-results", query.format, report, loaded, {
        asOf: to,
        from,
        to,
        overheadBasis,
      });
    },
  );
};

/** One account's ledger and one member's statement. */
const accountAndMemberReports = (app: FastifyInstance, tools: ReportTools): void => {
  const { modelFor, respond, today, yearStart } = tools;
  app.get<{ Params: { coopId: string; code: string } }>(
    "/v1/cooperatives/:coopId/ledger/:code",
    describe(
      "reports",
      "General ledger of one account: opening balance, lines with a running balance, closing balance.",
      { query: ReportQuery },
    ),
    async (request, reply) => {
      const { snapshot, model } = await modelFor(request);
      const code = decodePath(AccountCode, request.params.code, "account");
      if (!snapshot.state.accounts.has(code)) throw new ApiProblem("not_found", "No such account.");
      const query = decodeQuery(ReportQuery, request.query);
      const to = query.to ?? today(snapshot);
      const from = query.from ?? yearStart(to);
      const report = projections.generalLedger(model, code, from, to);
      return respond(
        reply,
        "general-ledger",
        query.format,
        report,
        { snapshot, model },
        {
          asOf: to,
          from,
          to,
          account: code,
        },
      );
    },
  );

  app.get<{ Params: { coopId: string; memberId: string } }>(
    "/v1/cooperatives/:coopId/members/:memberId/statement",
    describe("reports", "A member's statement: savings and loans as of a date.", { query: ReportQuery }),
    async (request, reply) => {
      const { snapshot, model } = await modelFor(request);
      const memberId = decodePath(MemberId, request.params.memberId, "member");
      if (!snapshot.state.members.has(memberId)) throw new ApiProblem("not_found", "No such member.");
      const query = decodeQuery(ReportQuery, request.query);
      const run = reportFunction("memberStatement") as unknown as (
        m: LedgerReadModel,
        memberId: string,
        asOf: string,
      ) => unknown;
      const asOf = query.asOf ?? today(snapshot);
      return respond(
        reply,
        "member-statement",
        query.format,
        run(model, memberId, asOf),
        { snapshot, model },
        { asOf, from: yearStart(asOf), to: asOf, memberId },
      );
    },
  );
};

/** The SHU of a year and the notes to the statements. */
const shuAndNotes = (app: FastifyInstance, tools: ReportTools): void => {
  const { modelFor, respond, today, yearStart } = tools;
  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/shu",
    describe("reports", "The SHU of a year, its allocation and every member's share.", {
      query: ReportQuery,
    }),
    async (request, reply) => {
      const { snapshot, model } = await modelFor(request);
      const query = decodeQuery(ReportQuery, request.query);
      const year = Number(query.year ?? today(snapshot).slice(0, 4));
      const run = reportFunction("shuReport") as unknown as (m: LedgerReadModel, year: number) => unknown;
      const yearEnd = `${year}-12-31`;
      return respond(
        reply,
        "shu",
        query.format,
        run(model, year),
        { snapshot, model },
        {
          asOf: yearEnd,
          from: `${year}-01-01`,
          to: yearEnd,
          year,
        },
      );
    },
  );

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/notes",
    describe(
      "reports",
      "Catatan atas Laporan Keuangan as of a date (asOf, default today): general information, policies and a note per significant line beside the previous year-end; JSON is the document's rows; format=csv|pdf.",
      { query: ReportQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const query = decodeQuery(ReportQuery, request.query);
      const asOf = query.asOf ?? today(loaded.snapshot);
      const legalEntityNumber = legalEntityNumberOf(loaded.snapshot);
      const period = { asOf, from: yearStart(asOf), to: asOf, legalEntityNumber };
      return respond(
        reply,
        "notes",
        query.format,
        reportDocumentFor("notes", loaded.model, period),
        loaded,
        period,
      );
    },
  );
};

/** A member's SHU slip and an entry's receipt, printed. */
const slipReports = (app: FastifyInstance, context: ApiContext, tools: ReportTools): void => {
  const { modelFor, today, printSettingOf } = tools;
  const SlipQuery = queryObject("ShuSlipQuery", {
    year: YearParam,
    format: literals("ShuSlipFormat", ["json", "pdf"] as const),
  });

  app.get<{ Params: { coopId: string; memberId: string } }>(
    "/v1/cooperatives/:coopId/shu/:memberId/slip",
    describe(
      "reports",
      "A member's slip SHU for a year (year, default last year): jasa modal, jasa usaha, their bases, the total and the total in words (terbilang); format=pdf for the printed slip.",
      { query: SlipQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const memberId = decodePath(MemberId, request.params.memberId, "member");
      if (!loaded.snapshot.state.members.has(memberId)) throw new ApiProblem("not_found", "No such member.");
      const query = decodeQuery(SlipQuery, request.query);
      const year = Number(query.year ?? Number(today(loaded.snapshot).slice(0, 4)) - 1);
      const slip = shuSlip(projections.shuReport(loaded.model, year), memberId);
      if (slip === null) throw new ApiProblem("not_found", "The member has no share in that year's SHU.");
      if (query.format !== "pdf") return slip;
      const setting = printSettingOf(loaded);
      return reply.type("application/pdf").send(await context.pdf.render([shuSlipDocument(slip)], setting));
    },
  );

  const ReceiptQuery = queryObject("ReceiptQuery", {
    format: literals("ReceiptFormat", ["json", "pdf"] as const),
  });

  app.get<{ Params: { coopId: string; entryId: string } }>(
    "/v1/cooperatives/:coopId/journal-entries/:entryId/receipt",
    describe(
      "journal entries",
      "The receipt (kuitansi) of a posted entry: number, date, received from / paid to, memo, the cash side's amount in figures and in words (terbilang), and the document's rows; format=pdf for the printed receipt with signature lines. 422 entry_not_posted for a pending or rejected entry.",
      { query: ReceiptQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const entryId = decodePath(EntryId, request.params.entryId, "journal entry");
      const entry = loaded.snapshot.state.entries.get(entryId);
      if (entry === undefined) throw new ApiProblem("not_found", "No such journal entry.");
      if (entry.status !== "posted")
        throw new ApiProblem(
          "entry_not_posted",
          `Entry ${entryId} is ${entry.status}: only a posted entry has a receipt.`,
        );
      const query = decodeQuery(ReceiptQuery, request.query);
      const receipt = entryReceipt(entry, loaded.model);
      const document = receiptDocument(receipt);
      if (query.format !== "pdf") return { ...receipt, rows: document.rows };
      const setting = printSettingOf(loaded);
      return reply.type("application/pdf").send(await context.pdf.render([document], setting));
    },
  );
};

/** The RAT pack and the ledger exported for other tools. */
const packAndExport = (app: FastifyInstance, context: ApiContext, tools: ReportTools): void => {
  const { modelFor, today, printSettingOf } = tools;
  const RatPackQuery = queryObject("RatPackQuery", {
    year: YearParam,
    format: literals("RatPackFormat", ["pdf"] as const),
  });

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/rat-pack",
    describe(
      "reports",
      "The RAT pack of a fiscal year (year, default last year) as one PDF: cover with the pengurus' summary figures, the statements with their notes, the SHU division and every member's SHU.",
      { query: RatPackQuery },
    ),
    async (request, reply) => {
      const loaded = await modelFor(request);
      const query = decodeQuery(RatPackQuery, request.query);
      const year = Number(query.year ?? Number(today(loaded.snapshot).slice(0, 4)) - 1);
      const legalEntityNumber = legalEntityNumberOf(loaded.snapshot);
      const setting = printSettingOf(loaded);
      const documents = ratPackDocuments(loaded.model, year, legalEntityNumber);
      return reply.type("application/pdf").send(await context.pdf.render(documents, setting));
    },
  );

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/export",
    describe(
      "reports",
      "format=ledger: a plain-text journal that ledger-cli and hledger read; totals equal the trial balance.",
      { query: ExportQuery },
    ),
    async (request, reply) => {
      const { model } = await modelFor(request);
      const query = decodeQuery(ExportQuery, request.query);
      if (query.format === undefined) {
        throw new ApiProblem("validation_failed", "Say which format: format=ledger.", [
          { path: "format", code: "validation_failed", message: "is required" },
        ]);
      }
      // Streamed chunk by chunk with the socket's backpressure (Readable.from), so a long history is never
      // one string in memory: four whole-text exports once took the process from 1.15 GB to 3.5 GB.
      const chunks = projections.ledgerJournalChunks(
        model,
        query.asOf === undefined ? {} : { asOf: query.asOf },
      );
      return reply.type("text/plain; charset=utf-8").send(Readable.from(chunks));
    },
  );
};

/** The reports, in JSON, CSV and PDF, as a Fastify plugin. */
export const reportRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  const tools = reportTools(context);
  statementReports(app, tools);
  accountAndMemberReports(app, tools);
  shuAndNotes(app, tools);
  slipReports(app, context, tools);
  packAndExport(app, context, tools);
};
