import {
  cellText,
  documentHasSen,
  labelColumnOf,
  type ReportDocument,
} from "@bukubesar/report-render/browser";
import { useState } from "preact/hooks";
import { api, unwrap } from "../api/client.js";
import { cooperative } from "../data.js";
import { longDate, rupiah, todayIn } from "../format.js";
import { useWords, type WordKey } from "../i18n.js";
import type { TrialBalance } from "../types.js";
import { type Loaded, useLoad } from "../useLoad.js";
import { Loading, ProblemMessage, Section } from "./common.js";

type Period = "asOf" | "range" | "year";

interface ReportKind {
  readonly path: string;
  readonly word: WordKey;
  readonly period: Period;
  readonly needs?: "account" | "member";
}

/** Every report of docs/api.md, with the period it is asked for. */
const REPORTS: readonly ReportKind[] = [
  { path: "trial-balance", word: "trialBalance", period: "asOf" },
  { path: "balance-sheet", word: "balanceSheet", period: "asOf" },
  { path: "income-statement", word: "incomeStatement", period: "range" },
  { path: "cash-flow", word: "cashFlow", period: "range" },
  { path: "equity-changes", word: "equityChanges", period: "range" },
  { path: "ledger", word: "generalLedger", period: "range", needs: "account" },
  { path: "members", word: "memberStatement", period: "asOf", needs: "member" },
  { path: "shu", word: "shu", period: "year" },
  { path: "notes", word: "notes", period: "asOf" },
];

/** The statements whose JSON carries the previous period beside the current one, as their PDFs print it. */
const COMPARED = new Set(["balance-sheet", "income-statement", "cash-flow", "equity-changes"]);

/** Indentation of a row's label per level, as the PDF indents it. */
const INDENT_REM = 1;

const WIRE_AMOUNT = /^-?\d+\.\d{2}$/;

/** Any report body shown as nested lists, amounts in PUEBI form; the trial balance gets its own table. */
const Tree = ({ value }: { value: unknown }) => {
  if (typeof value === "string")
    return (
      <span class={WIRE_AMOUNT.test(value) ? "amount" : ""}>
        {WIRE_AMOUNT.test(value) ? rupiah(value) : value}
      </span>
    );
  if (typeof value !== "object" || value === null) return <span>{String(value)}</span>;
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index + 1), item] as const)
    : Object.entries(value);
  return (
    <dl class="tree">
      {entries.map(([key, item]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>
            <Tree value={item} />
          </dd>
        </div>
      ))}
    </dl>
  );
};

/**
 * A report's document (packages/report-render) as an HTML table: the same rows the PDF prints, headings,
 * subtotals and totals styled by role, amounts right-aligned in PUEBI with negatives in parentheses.
 */
const DocumentTable = ({ document }: { document: ReportDocument }) => {
  const withSen = documentHasSen(document);
  const labelKey = labelColumnOf(document);
  return (
    <div class="report" data-testid="report-document" data-kind={document.kind}>
      <h2 class="document-title">{document.title}</h2>
      <p class="muted">{document.period}</p>
      {document.subtitles.map((line) => (
        <p key={line} class="muted">
          {line}
        </p>
      ))}
      {document.inRupiah && <p class="muted">(dalam Rupiah)</p>}
      <table class="report document">
        <thead>
          <tr>
            {document.columns.map((column) => (
              <th key={column.key} scope="col" class={column.kind === "amount" ? "amount" : ""}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {document.rows.map((row, index) => (
            <tr key={String(index)} class={`role-${row.role}`} data-role={row.role}>
              {document.columns.map((column) => (
                <td
                  key={column.key}
                  class={column.kind === "amount" ? "amount" : column.kind}
                  style={
                    column.key === labelKey && row.indent > 0
                      ? { paddingLeft: `${row.indent * INDENT_REM}rem` }
                      : undefined
                  }
                >
                  {cellText(column, row.cells[column.key], withSen)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {document.paragraphs.map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
    </div>
  );
};

const TrialBalanceTable = ({ report }: { report: TrialBalance }) => {
  const { t } = useWords();
  return (
    <table class="report" data-testid="trial-balance">
      <thead>
        <tr>
          <th scope="col">{t("code")}</th>
          <th scope="col">{t("name")}</th>
          <th scope="col" class="amount">
            {t("debit")}
          </th>
          <th scope="col" class="amount">
            {t("credit")}
          </th>
          <th scope="col" class="amount">
            {t("balance")}
          </th>
        </tr>
      </thead>
      <tbody>
        {report.accounts.map((row) => (
          <tr key={row.code}>
            <td>{row.code}</td>
            <td>{row.name}</td>
            <td class="amount">{rupiah(row.debit)}</td>
            <td class="amount">{rupiah(row.credit)}</td>
            <td class="amount">{rupiah(row.balance)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {t("total")}
          </th>
          <td class="amount">{rupiah(report.totals.debit)}</td>
          <td class="amount">{rupiah(report.totals.credit)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
};

interface EffectivePeriod {
  readonly asOf: string;
  readonly from: string;
  readonly to: string;
  readonly year: string;
}

/** The API URL of a report, with its period and subject; as a PDF or CSV download when a format is given. */
const reportUrl = (
  coopId: string,
  kind: ReportKind,
  effective: EffectivePeriod,
  subject: string,
  format?: "pdf" | "csv",
): string => {
  const query = new URLSearchParams();
  if (kind.period === "asOf") query.set("asOf", effective.asOf);
  if (kind.period === "range") {
    query.set("from", effective.from);
    query.set("to", effective.to);
  }
  if (kind.period === "year") query.set("year", effective.year);
  if (format !== undefined) query.set("format", format);
  else if (COMPARED.has(kind.path)) query.set("compare", "previous");
  return `/v1/cooperatives/${coopId}/${reportPath(kind, subject)}?${query.toString()}`;
};

const reportPath = (kind: ReportKind, subject: string): string => {
  if (kind.needs === "account") return `ledger/${encodeURIComponent(subject)}`;
  if (kind.needs === "member") return `members/${encodeURIComponent(subject)}/statement`;
  return kind.path;
};

/** The inputs of the period a report is asked for: a date, a range or a year. */
const PeriodInputs = ({
  period,
  effective,
  set,
}: {
  period: Period;
  effective: EffectivePeriod;
  set: { readonly [K in keyof EffectivePeriod]: (value: string) => void };
}) => {
  const { t } = useWords();
  const { asOf: setAsOf, from: setFrom, to: setTo, year: setYear } = set;
  return (
    <>
      {period === "asOf" && (
        <label>
          {t("asOf")}
          <input
            type="date"
            name="asOf"
            value={effective.asOf}
            onInput={(e) => setAsOf(e.currentTarget.value)}
          />
        </label>
      )}
      {period === "range" && (
        <>
          <label>
            {t("from")}
            <input
              type="date"
              name="from"
              value={effective.from}
              onInput={(e) => setFrom(e.currentTarget.value)}
            />
          </label>
          <label>
            {t("to")}
            <input type="date" name="to" value={effective.to} onInput={(e) => setTo(e.currentTarget.value)} />
          </label>
        </>
      )}
      {period === "year" && (
        <label>
          {t("year")}
          <input
            name="year"
            inputMode="numeric"
            pattern="\d{4}"
            value={effective.year}
            onInput={(e) => setYear(e.currentTarget.value)}
          />
        </label>
      )}
    </>
  );
};

/** The report shown: a problem, loading, the trial balance's own table, a document's table, or its JSON. */
const ShownReport = ({
  path,
  report,
}: {
  path: string;
  report: Loaded<{ readonly json: unknown; readonly document: ReportDocument | null } | null>;
}) => {
  if (report.problem !== null) return <ProblemMessage problem={report.problem} />;
  if (report.data === null) return <Loading />;
  if (path === "trial-balance") return <TrialBalanceTable report={report.data.json as TrialBalance} />;
  if (report.data.document !== null) return <DocumentTable document={report.data.document} />;
  return <Tree value={report.data.json} />;
};

export const ReportsPage = ({ coopId }: { coopId: string }) => {
  const { t, language } = useWords();
  const coop = useLoad(() => cooperative(coopId), [coopId]);
  const [kind, setKind] = useState<ReportKind>(REPORTS[0] as ReportKind);
  const [asOf, setAsOf] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [year, setYear] = useState("");
  const [subject, setSubject] = useState("");
  const [shown, setShown] = useState<{
    kind: ReportKind;
    url: string;
    period: { asOf: string; from: string; to: string };
  } | null>(null);
  const report = useLoad(async () => {
    if (shown === null) return null;
    const json = await unwrap<unknown>(api.GET(shown.url as never, {} as never));
    // The document builders load with the first report shown, not with the application.
    const { documentOf } = await import("./reportDocuments.js");
    return { json, document: documentOf(shown.kind.path, json, shown.period) };
  }, [shown?.url]);
  if (coop.data === null)
    return coop.problem === null ? <Loading /> : <ProblemMessage problem={coop.problem} />;
  const today = todayIn(coop.data.settings.timeZone);
  const effective = {
    asOf: asOf || today,
    from: from || `${today.slice(0, 4)}-01-01`,
    to: to || today,
    year: year || today.slice(0, 4),
  };
  const urlOf = (format?: "pdf" | "csv") => reportUrl(coopId, kind, effective, subject, format);
  const show = (event: Event) => {
    event.preventDefault();
    setShown({
      kind,
      url: urlOf(),
      period: { asOf: effective.asOf, from: effective.from, to: effective.to },
    });
  };
  return (
    <>
      <h1>{t("reports")}</h1>
      <form class="card inline" onSubmit={show}>
        <label>
          {t("reports")}
          <select
            name="report"
            value={kind.path}
            onChange={(e) =>
              setKind(REPORTS.find((candidate) => candidate.path === e.currentTarget.value) as ReportKind)
            }
          >
            {REPORTS.map((candidate) => (
              <option key={candidate.path} value={candidate.path}>
                {t(candidate.word)}
              </option>
            ))}
          </select>
        </label>
        {kind.needs !== undefined && (
          <label>
            {kind.needs === "account" ? t("account") : t("memberId")}
            <input
              name="subject"
              required
              value={subject}
              onInput={(e) => setSubject(e.currentTarget.value)}
            />
          </label>
        )}
        <PeriodInputs
          period={kind.period}
          effective={effective}
          set={{ asOf: setAsOf, from: setFrom, to: setTo, year: setYear }}
        />
        <button type="submit">{t("show")}</button>
        <a class="button secondary" href={urlOf("pdf")} download>
          {t("downloadPdf")}
        </a>
        <a class="button secondary" href={urlOf("csv")} download>
          {t("downloadCsv")}
        </a>
      </form>
      {shown !== null && (
        <Section
          title={`${t(shown.kind.word)} · ${longDate(shown.kind.period === "asOf" ? effective.asOf : effective.to, language)}`}
        >
          <ShownReport path={shown.kind.path} report={report} />
        </Section>
      )}
    </>
  );
};
