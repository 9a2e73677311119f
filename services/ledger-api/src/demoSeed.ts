/**
 * `bukubesar serve --demo`: records the demo cooperative of demoHistory.ts through the same codecs, command
 * handler and decider as the HTTP routes, as the principal `demo:seed` with the role treasurer (the
 * cooperative itself is opened as admin, as only an admin may). Every step is idempotent: an opened
 * ledger, a registered member and an entry whose idempotency key was already recorded are skipped, so
 * seeding the same data directory twice records nothing twice. Entries are posted one after another
 * without HTTP, which keeps a year of history within a few seconds.
 *
 * The seed records each fact as if it had been recorded on its own day during opening hours (10:00 WIB),
 * through a handler of its own with a simulated clock: otherwise every demo entry would be recorded a
 * year after its date and the supervisor would rightly flag a year of back-dated entries.
 */

import { PostJournalEntryBody, RegisterMemberBody, requestHashOf, toEntryLine } from "@bukubesar/contract";
import { chartTemplates, type LedgerCommand } from "@bukubesar/ledger-core";
import type { ApiContext } from "./apiContext.js";
import { type CommandContext, createCommandHandler, type UnrecordedResult } from "./commandHandler.js";
import { decodeBody } from "./decode.js";
import { DEMO_COOPERATIVE, DEMO_SHU_RULES, type DemoYearEnd, demoHistory } from "./demoHistory.js";

export const DEMO_PRINCIPAL_ID = "demo:seed";
/** The demo's second pair of eyes: the ketua approves the year's close and the RAT decision. */
export const DEMO_APPROVER_ID = "demo:ketua";

/** The route the demo's entries are keyed under: the same as POST …/journal-entries, so keys are shared. */
const ENTRY_ROUTE = "journal-entries";

export interface DemoSeedResult {
  readonly coopId: string;
  /** Members and entries recorded by this run (zero when the demo was already seeded). */
  readonly membersRecorded: number;
  readonly entriesRecorded: number;
  /** Entries of the history that were already recorded by an earlier run. */
  readonly entriesAlreadyRecorded: number;
  readonly milliseconds: number;
}

/** 10:00 in Western Indonesia (WIB, UTC+7), the demo cooperative's time zone: well inside opening hours. */
const DEMO_OPENING_TIME_UTC = "T03:00:00.000Z";

const refused = (what: string, result: UnrecordedResult): Error =>
  new Error(
    result.kind === "rejected"
      ? `the demo ${what} was refused: ${result.rejection.code} ${result.rejection.message}`
      : `the demo ${what} was not recorded: ${result.kind}`,
  );

const commandContext = (
  role: "admin" | "treasurer" | "approver",
  route: string,
  principalId = DEMO_PRINCIPAL_ID,
): CommandContext => ({
  principalId,
  role,
  route,
  idempotencyKey: null,
  requestHash: null,
  correlationId: null,
});

/**
 * A command handler over the store whose clock is the demo's: each fact gets its own second after
 * opening time on its day (`recordOn`), so recording times stay in order. It writes through the service's
 * own cache of cooperatives (and its integrity checks), as every ledger append of the process must: the
 * cache skips asking the store about a held cooperative while no other connection committed and it saw
 * no append of this process (ledgerCache.ts, `writing`), so an append beside it would go unseen.
 */
const demoRecorder = (context: Pick<ApiContext, "store" | "cache" | "integrity">) => {
  let simulatedNow = "";
  let recordedCount = 0;
  const handler = createCommandHandler({
    store: context.store,
    now: () => simulatedNow,
    cache: context.cache,
    integrity: context.integrity,
  });
  const recordOn = (date: string): void => {
    recordedCount += 1;
    simulatedNow = new Date(
      Date.parse(`${date}${DEMO_OPENING_TIME_UTC}`) + recordedCount * 1000,
    ).toISOString();
  };
  return { handler, recordOn };
};

type DemoRecorder = ReturnType<typeof demoRecorder>;
type SeedHistory = ReturnType<typeof demoHistory>;

/** Opens the demo cooperative's ledger with the kkmp chart, unless an earlier run did. */
const openDemoLedger = async ({ handler, recordOn }: DemoRecorder, history: SeedHistory, today: string) => {
  const coopId = DEMO_COOPERATIVE.id;
  const snapshot = await handler.load(coopId);
  if (snapshot.state.opened) return snapshot;
  recordOn(history.members[0]?.joinedOn ?? today);
  const open: LedgerCommand = {
    type: "OpenLedger",
    data: {
      coopId,
      name: DEMO_COOPERATIVE.name,
      regionCode: DEMO_COOPERATIVE.regionCode,
      settings: { shuRules: DEMO_SHU_RULES },
      accounts: chartTemplates.kkmp,
    },
    actor: { principalId: DEMO_PRINCIPAL_ID, role: "admin" },
  };
  const opened = await handler.execute(coopId, open, commandContext("admin", "cooperatives"));
  if (opened.kind !== "recorded") throw refused("cooperative", opened);
  return handler.load(coopId);
};

/** Registers the history's members not registered yet; answers how many. */
const registerDemoMembers = async (
  { handler, recordOn }: DemoRecorder,
  history: SeedHistory,
  registered: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): Promise<number> => {
  let membersRecorded = 0;
  for (const member of history.members) {
    if (registered.has(member.memberId)) continue;
    recordOn(member.joinedOn);
    const body = decodeBody(RegisterMemberBody, member);
    const data = {
      memberId: body.memberId,
      name: body.name,
      joinedOn: body.joinedOn,
      role: body.role ?? "member",
    };
    const result = await handler.execute(
      DEMO_COOPERATIVE.id,
      { type: "RegisterMember", data, actor: seedTreasurer },
      commandContext("treasurer", "members"),
    );
    if (result.kind !== "recorded") throw refused(`member ${member.memberId}`, result);
    membersRecorded++;
  }
  return membersRecorded;
};

/** Posts one entry of the history as a keyed request; answers whether it was recorded now (not a replay). */
const postDemoEntry = async (
  { handler, recordOn }: DemoRecorder,
  entry: SeedHistory["entries"][number],
  entryId: string,
): Promise<boolean> => {
  const body = decodeBody(PostJournalEntryBody, entry.body);
  recordOn(body.date);
  const result = await handler.execute(
    DEMO_COOPERATIVE.id,
    {
      type: "PostJournalEntry",
      data: { entryId, date: body.date, memo: body.memo ?? "", lines: body.lines.map(toEntryLine) },
      actor: seedTreasurer,
    },
    {
      ...commandContext("treasurer", ENTRY_ROUTE),
      idempotencyKey: entry.idempotencyKey,
      requestHash: requestHashOf(ENTRY_ROUTE, entry.body),
    },
    entryId,
  );
  if (result.kind !== "recorded") throw refused(`entry ${entry.idempotencyKey}`, result);
  return !result.replayed;
};

/**
 * Seeds the demo cooperative with the history of demoHistory.ts ending the day before `today` (YYYY-MM-DD):
 * last year whole, closed and decided by its RAT (four eyes: the seed asks, `demo:ketua` approves), and
 * this year so far.
 * Throws when the decider refuses any demo entry: the demo history must be valid as a whole.
 */
export const seedDemo = async (
  context: Pick<ApiContext, "store" | "cache" | "integrity">,
  today: string,
): Promise<DemoSeedResult> => {
  const started = performance.now();
  const recorder = demoRecorder(context);
  const { handler, recordOn } = recorder;
  const coopId = DEMO_COOPERATIVE.id;
  const history = demoHistory(today);
  const snapshot = await openDemoLedger(recorder, history, today);
  const membersRecorded = await registerDemoMembers(recorder, history, snapshot.state.members);

  let entriesRecorded = 0;
  let entriesAlreadyRecorded = 0;
  // Entries never disappear, so the entries known now are enough to skip those of an earlier run.
  const knownEntries = (await handler.load(coopId)).state.entries;
  const yearEnd = history.yearEnd;
  const pendingYearEnd = async (before: string) => {
    if (before >= yearEnd.closeOn) await closeDemoYear(handler, coopId, yearEnd, recordOn);
    if (before >= yearEnd.decidedOn) await decideDemoYear(handler, coopId, yearEnd, recordOn);
  };
  for (const entry of history.entries) {
    await pendingYearEnd(entry.body.date);
    const entryId = handler.baseIdFor(coopId, ENTRY_ROUTE, entry.idempotencyKey);
    const recordedNow = !knownEntries.has(entryId) && (await postDemoEntry(recorder, entry, entryId));
    if (recordedNow) entriesRecorded++;
    else entriesAlreadyRecorded++;
  }
  await pendingYearEnd(today);
  return {
    coopId,
    membersRecorded,
    entriesRecorded,
    entriesAlreadyRecorded,
    milliseconds: Math.round(performance.now() - started),
  };
};

type DemoHandler = ReturnType<typeof createCommandHandler>;

const ketua = { principalId: DEMO_APPROVER_ID, role: "approver" as const };
const seedTreasurer = { principalId: DEMO_PRINCIPAL_ID, role: "treasurer" as const };

/** Asks for the previous year's close and has the ketua approve it, unless an earlier run did. */
const closeDemoYear = async (
  handler: DemoHandler,
  coopId: string,
  yearEnd: DemoYearEnd,
  recordOn: (date: string) => void,
): Promise<void> => {
  const { state } = await handler.load(coopId);
  if (state.closedFiscalYears.has(yearEnd.year)) return;
  if (!state.pendingCloses.has(yearEnd.year)) {
    const route = `fiscal-years/${yearEnd.year}/close`;
    const entryId = handler.baseIdFor(coopId, route, `demo-tutup-buku-${yearEnd.year}`);
    recordOn(yearEnd.closeOn);
    await mustRecord(
      handler,
      coopId,
      {
        type: "CloseFiscalYear",
        data: { year: yearEnd.year, entryId, today: yearEnd.closeOn },
        actor: seedTreasurer,
      },
      commandContext("treasurer", route),
      `close of ${yearEnd.year}`,
    );
  }
  recordOn(yearEnd.closeOn);
  await mustRecord(
    handler,
    coopId,
    { type: "ApproveYearEndStep", data: { year: yearEnd.year, step: "close" }, actor: ketua },
    commandContext("approver", `fiscal-years/${yearEnd.year}/close/approve`, DEMO_APPROVER_ID),
    `approval of the close of ${yearEnd.year}`,
  );
};

/** Records the previous year's RAT decision and has the ketua approve it, unless an earlier run did. */
const decideDemoYear = async (
  handler: DemoHandler,
  coopId: string,
  yearEnd: DemoYearEnd,
  recordOn: (date: string) => void,
): Promise<void> => {
  const { state } = await handler.load(coopId);
  if (state.ratDecisions.has(yearEnd.year)) return;
  if (!state.pendingRatDecisions.has(yearEnd.year)) {
    const route = `fiscal-years/${yearEnd.year}/rat-decision`;
    const entryId = handler.baseIdFor(coopId, route, `demo-rat-${yearEnd.year}`);
    recordOn(yearEnd.decidedOn);
    await mustRecord(
      handler,
      coopId,
      {
        type: "RecordRatDecision",
        data: { year: yearEnd.year, decidedOn: yearEnd.decidedOn, allocation: yearEnd.allocation, entryId },
        actor: seedTreasurer,
      },
      commandContext("treasurer", route),
      `RAT decision for ${yearEnd.year}`,
    );
  }
  recordOn(yearEnd.decidedOn);
  await mustRecord(
    handler,
    coopId,
    { type: "ApproveYearEndStep", data: { year: yearEnd.year, step: "ratDecision" }, actor: ketua },
    commandContext("approver", `fiscal-years/${yearEnd.year}/rat-decision/approve`, DEMO_APPROVER_ID),
    `approval of the RAT decision for ${yearEnd.year}`,
  );
};

const mustRecord = async (
  handler: DemoHandler,
  coopId: string,
  command: LedgerCommand,
  context: CommandContext,
  what: string,
): Promise<void> => {
  const result = await handler.execute(coopId, command, context);
  if (result.kind !== "recorded") throw refused(what, result);
};
