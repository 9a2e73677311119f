/**
 * The JSON bodies of the reports (docs/api.md, Reports; Region summary; Periods and the fiscal year) as
 * JSON Schemas for the OpenAPI document, field by field as the projections (packages/projections) and
 * report-render build them. Objects stay open to added fields (a later version may add one, as docs/api.md
 * says for additions); every field listed is one the route gives today, which a test checks against the
 * demo cooperative's own reports.
 */
import { amount, date, instant, nullable, object, type Schema, text } from "./openApiPrimitives.js";

const array = (items: Schema): Schema => ({ type: "array", items });
const integer = { type: "integer" };
const boolean = { type: "boolean" };
const amountOrNull = nullable(amount);
const accountAmount = object(
  {
    code: text("account code", "1101"),
    name: text("account name", "Kas Besar"),
    amount,
    rollup: { const: true },
  },
  ["code", "name", "amount"],
);
/** A list of accounts with their amounts and its total (a statement's section). */
const section = object({ accounts: array(accountAmount), total: amount });

/** Adds the `previous` comparative that `compare=previous` puts beside a statement (null in a first year). */
const withPrevious = (schema: ReturnType<typeof object>): Schema => ({
  ...schema,
  properties: {
    ...schema.properties,
    previous: {
      ...nullable({ type: "object" }),
      description: "with compare=previous: the same report one period earlier",
    },
  },
});

const balanceSheetGroup = object({
  sections: array(
    object({
      key: text("section key", "currentAssets"),
      label: text("printed label"),
      accounts: array(accountAmount),
      total: amount,
    }),
  ),
  total: amount,
});
export const balanceSheet = withPrevious(
  object({
    asOf: date,
    assets: balanceSheetGroup,
    liabilities: balanceSheetGroup,
    equity: balanceSheetGroup,
    liabilitiesAndEquity: amount,
    balanced: boolean,
  }),
);

const business = object({ revenue: section, costOfRevenue: section, net: amount });
export const incomeStatement = withPrevious(
  object({
    from: date,
    to: date,
    unit: nullable(text("business unit asked for with unit=", "sembako")),
    memberBusiness: business,
    nonMemberBusiness: business,
    grossShu: amount,
    operatingExpenses: section,
    cooperativeExpenses: section,
    shuFromOperations: amount,
    otherIncomeAndExpenses: section,
    shuBeforeTax: amount,
    incomeTax: section,
    shuAfterTax: amount,
    otherComprehensiveIncome: section,
    totalComprehensiveShu: amount,
  }),
);

export const equityChanges = withPrevious(
  object({
    from: date,
    to: date,
    columns: array(object({ key: text("column key", "3100"), name: text("column name") })),
    rows: array(
      object({
        key: text("row key", "saldoAwal"),
        label: text("printed label", "Saldo awal"),
        amounts: { type: "object", additionalProperties: amount, description: "amount per column key" },
        total: amount,
      }),
    ),
  }),
);

const cashFlowSection = object({
  lines: array(object({ key: text("line key"), label: text("printed label"), amount })),
  total: amount,
});
export const cashFlow = withPrevious(
  object({
    from: date,
    to: date,
    operating: cashFlowSection,
    investing: cashFlowSection,
    financing: cashFlowSection,
    netChange: amount,
    openingCash: amount,
    closingCash: amount,
    reconciles: boolean,
  }),
);

const unitResultRow = object({
  unit: text("business unit", "sembako"),
  memberIncome: amount,
  nonMemberIncome: amount,
  income: amount,
  expense: amount,
  directResult: amount,
  basisAmount: nullable(amount),
  overheadShare: amount,
  result: amount,
});
export const unitResults = object({
  from: date,
  to: date,
  basis: { type: "string", enum: ["revenue", "expense", "equal"] },
  units: array(unitResultRow),
  overhead: object({
    unit: text("the office unit whose costs are shared", "kantor"),
    income: amount,
    expense: amount,
    cost: amount,
    allocated: amount,
    unallocated: amount,
  }),
  unassigned: object({
    label: text("label", "tidak dialokasikan"),
    income: amount,
    expense: amount,
    result: amount,
  }),
  totals: object({ income: amount, expense: amount, result: amount }),
});

const unitOrNull = nullable(text("business unit"));
export const generalLedger = object({
  account: object({
    code: text("account code", "1101"),
    name: text("account name"),
    type: { type: "string", enum: ["asset", "liability", "equity", "income", "expense"] },
    normalBalance: { type: "string", enum: ["debit", "credit"] },
  }),
  from: date,
  to: date,
  openingBalance: amount,
  lines: array(
    object(
      {
        date,
        entryId: text("entry id"),
        memo: text("entry memo"),
        lineMemo: nullable(text("line memo")),
        debit: amount,
        credit: amount,
        balance: amount,
        memberId: nullable(text("member id")),
        unit: unitOrNull,
        counterparty: nullable(text("counterparty")),
      },
      ["date", "entryId", "memo", "lineMemo", "balance", "memberId", "unit", "counterparty"],
    ),
  ),
  closingBalance: amount,
});

export const memberStatement = object({
  asOf: date,
  member: nullable(
    object({ memberId: text("member id"), name: text("name"), joinedOn: date, role: text("member role") }),
  ),
  memberId: text("member id", "A-0001"),
  simpananPokok: amount,
  simpananWajib: amount,
  simpananSukarela: amount,
  pinjaman: amount,
  shuOwed: amount,
  accounts: array(
    object({
      code: text("account code"),
      name: text("account name"),
      category: text("simpananPokok, simpananWajib, simpananSukarela, pinjaman, utangShu or lain"),
      balance: amount,
      lines: array(
        object(
          {
            date,
            entryId: text("entry id"),
            memo: text("memo"),
            debit: amount,
            credit: amount,
            balance: amount,
          },
          ["date", "entryId", "memo", "balance"],
        ),
      ),
    }),
  ),
});

const memberPools = { jasaModal: amount, jasaUsaha: amount };
const unattributedTreatment = { type: "string", enum: ["attributedMembers", "reserve"] };
/** A warning in a successful answer: allocation percentages outside the usual ranges. */
const fieldWarnings = array(
  object({
    path: text("JSON Pointer into the request body"),
    code: text("warning code", "jasa_modal_above_jasa_usaha"),
    message: text("why"),
  }),
);
export const shuReport = object({
  year: integer,
  shu: amount,
  shuSource: { type: "string", enum: ["fiscalYearClosed", "computed"] },
  status: { type: "string", enum: ["allocated", "awaitingRatDecision", "noShuToAllocate"] },
  division: { type: "string", enum: ["proposed", "decided"] },
  allocationSource: { type: "string", enum: ["appropriationEntry", "computed"] },
  decision: nullable(object({ decidedOn: date, entryId: nullable(text("appropriation entry id")) })),
  lossCoverage: nullable(object({ fromReserve: amount, carriedForward: amount })),
  priorLossCovered: amount,
  allocation: array(
    object({ key: text("allocation key", "cadangan"), percent: text("percent", "30"), amount }),
  ),
  members: array(
    object({
      memberId: text("member id"),
      name: text("name"),
      capitalBase: amount,
      usageBase: amount,
      ...memberPools,
      total: amount,
    }),
  ),
  totals: object({ ...memberPools, total: amount }),
  undistributed: object(memberPools),
  residueAccount: text("where the undistributed parts are credited", "3500"),
  participation: object({
    memberRevenue: amount,
    attributedRevenue: amount,
    unattributedRevenue: amount,
    unattributedJasaUsaha: amount,
    treatment: nullable(unattributedTreatment),
  }),
  bases: object({
    capitalAccounts: array(text("account code")),
    capitalBasis: { type: "string", enum: ["yearEnd", "averageDaily"] },
    unitWeights: { type: "object", additionalProperties: text("weight", "1") },
    rules: { type: "string", enum: ["settings", "default"] },
  }),
});

export const shuSlip = object({
  year: integer,
  memberId: text("member id"),
  name: text("name"),
  status: text("the SHU report's status"),
  decidedOn: nullable(date),
  capitalBase: amount,
  usageBase: amount,
  ...memberPools,
  total: amount,
  totalInWords: text("terbilang", "tiga juta dua ratus dua puluh tujuh ribu rupiah"),
});

/** The notes' JSON is report-render's document: rows with roles under typed columns. */
export const reportDocument = object({
  kind: text("report kind", "notes"),
  title: text("title", "Catatan atas Laporan Keuangan"),
  period: text("the period in words", "31 Desember 2026"),
  subtitles: array(text("heading line")),
  inRupiah: boolean,
  columns: array(
    object({
      key: text("column key"),
      header: text("printed heading"),
      kind: { type: "string", enum: ["text", "code", "date", "amount"] },
    }),
  ),
  rows: array(
    object({
      role: { type: "string", enum: ["heading", "line", "subtotal", "total"] },
      indent: integer,
      cells: { type: "object", additionalProperties: { type: "string" }, description: "cells by column key" },
    }),
  ),
  paragraphs: array(text("paragraph")),
  signatures: { description: "who signs: none, pengurus, pengurusDanPengawas, or a receipt's two parties" },
  landscape: boolean,
});

const regionFigures = {
  totalAssets: amount,
  membersSavings: amount,
  loansOutstanding: amount,
  revenue: amount,
  shu: amount,
};
export const regionSummary = object({
  region: text("the region prefix", "35.74"),
  asOf: date,
  cooperatives: array(
    object({
      coopId: text("cooperative id"),
      name: text("name"),
      regionCode: text("region code"),
      ...regionFigures,
      cash: amount,
      cashRatioPercent: nullable(text("percent with one decimal", "88.5")),
      daysSinceLastPosting: nullable(integer),
      lastPostingAt: nullable(instant),
      openAlerts: integer,
    }),
  ),
  totals: object({ ...regionFigures, openAlerts: integer }),
});

const allocation = {
  type: "object",
  additionalProperties: text("percent", "30"),
  description: "percent per allocation key (cadangan, jasaModal, jasaUsaha, …)",
};
const lossCoverage = nullable(object({ fromReserve: amount, carriedForward: amount }));
export const fiscalYear = object({
  year: integer,
  status: { type: "string", enum: ["open", "close_pending", "closed", "rat_decision_pending", "decided"] },
  shu: amountOrNull,
  resultAccount: nullable(text("3600 (SHU) or 3610 (loss not yet covered)", "3600")),
  closeRequest: nullable(
    object({ entryId: text("entry id"), shu: amount, requestedBy: text("principal id") }),
  ),
  ratDecision: nullable(
    object({ decidedOn: date, allocation, lossCoverage, entryId: text("appropriation entry id") }, [
      "decidedOn",
    ]),
  ),
  ratDecisionProposal: nullable({ type: "object", description: "the RAT decision awaiting an approver" }),
});
const yearStep = { type: "string", enum: ["close", "ratDecision"] };
export const yearEndRequested = object(
  {
    year: integer,
    step: yearStep,
    status: { const: "pending_approval" },
    entryId: text("entry id the step will post"),
    shu: amountOrNull,
    requestedBy: nullable(text("principal id")),
    decidedOn: date,
    allocation,
    lossCoverage,
    unattributedJasaUsaha: nullable(unattributedTreatment),
    proposedBy: text("principal id"),
    warnings: fieldWarnings,
  },
  ["year", "step", "status", "entryId"],
);
export const yearEndApproved = object(
  {
    year: integer,
    status: { type: "string", enum: ["closed", "decided"] },
    entryId: nullable(text("the closing or appropriation entry")),
    shu: amountOrNull,
    resultAccount: nullable(text("3600 or 3610")),
    decidedOn: nullable(date),
    allocation: nullable(allocation),
    lossCoverage,
    priorLossCovered: amount,
    entryIds: {
      type: "array",
      items: text("entry id"),
      description:
        "every entry of the appropriation: one, or its parts when it has more lines than one entry holds",
    },
    entry: { description: "the appropriation entry (its first part), posted" },
  },
  ["year", "status", "entryId"],
);
export const yearEndRejected = object({
  year: integer,
  step: yearStep,
  status: { const: "rejected" },
  reason: text("why"),
});
export const yearReopened = object({
  year: integer,
  status: { const: "open" },
  reason: text("why"),
  entryId: nullable(text("the entry that undid the close")),
});

export const settings = object(
  {
    approvalThreshold: amountOrNull,
    largeCashThreshold: amount,
    businessHours: object({ start: text("HH:MM", "07:00"), end: text("HH:MM", "17:00") }),
    timeZone: { type: "string", enum: ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"] },
    legalEntityNumber: text("nomor badan hukum, once set"),
    shuRules: object({
      allocation: { type: "object", additionalProperties: text("percent", "30") },
      meetingDecides: array(text("allocation key or lossCoverage")),
      jasaModalBasis: { type: "string", enum: ["yearEnd", "averageDaily"] },
      unitWeights: { type: "object", additionalProperties: text("weight", "1") },
      lossCoverageOrder: { type: "string", enum: ["nextShuFirst", "reserveFirst"] },
    }),
    overheadBasis: {
      type: "string",
      enum: ["revenue", "expense", "equal"],
      description: "how the unit results spread the office's overhead, once set (default revenue)",
    },
  },
  ["approvalThreshold", "largeCashThreshold", "businessHours", "timeZone"],
);

/** The settings as PATCH answers them: with warnings on the AD/ART allocation (empty when none). */
export const settingsChanged = object({ ...settings.properties, warnings: fieldWarnings }, [
  ...settings.required,
  "warnings",
]);

export const principalList = object({
  principals: array(
    object(
      {
        principalId: text("principal id"),
        role: {
          type: "string",
          enum: ["admin", "treasurer", "approver", "supervisor", "auditor", "metrics"],
        },
        scope: text("*, a cooperative id or a region prefix"),
        name: text("name"),
        expiresAt: instant,
      },
      ["principalId", "role", "scope", "name"],
    ),
  ),
});
