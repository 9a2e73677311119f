/**
 * Replay benchmark (docs/benchmarks.md, "Event store"): read + decode + evolve N stored events from a SQLite
 * store into the ledger's state, reporting events/s and the peak resident memory of each way of doing it:
 *
 *   port        the EventStore port's read for a fold (`readStreamData` pages of 5,000: revision, type
 *               and data only), then applyInPlace on a state from foldLedger
 *   port-full   the same through readStream (every column decoded: what `import` and the command
 *               handler do, as `port` did before the port had a read for folds)
 *   rows        better-sqlite3 directly, only the columns evolve needs (type, data and its shape), the
 *               data decoded from its shape, then applyInPlace: the bound of the stored format
 *   parse-only  the same rows and decode, no evolve
 *   read-only   the same rows, no decode: what SQLite alone costs
 *
 *   node --import tsx --conditions=source services/cli/bench/replay.bench.ts [N | sqlite:PATH]
 *
 * With N (default 1000000) a store of N posted entries (plus the opening's events) is written under
 * the operating system's temporary directory first and removed afterwards unless KEEP=1. With sqlite:PATH
 * an existing store is read (its largest ledger stream). Each way runs in its own child process, so each
 * peak RSS is its own. PROFILE_DIR=DIR profiles each child with --cpu-prof; REPLAY_WAYS=port,rows runs
 * only those ways. Each way also prints its CPU time (user and system) and events per CPU-second: on a
 * machine shared with other work the wall time says more about the load than about the code.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type EventStore,
  type NewEvent,
  openEventStore,
  readStreamData,
  SqliteShapes,
} from "@bukubesar/event-store";
import {
  applyInPlace,
  type BaseMetadata,
  chartTemplates,
  decide,
  type EntryLine,
  entryIdFor,
  eventIdFor,
  foldLedger,
  GENESIS_PREV_HASH,
  initialLedgerState,
  type LedgerEvent,
  type LedgerState,
  recordEvents,
} from "@bukubesar/ledger-core";
import Database from "better-sqlite3";

const COOP = "kkmp-replay-bench";
const STREAM = `ledger-${COOP}`;
const DEFAULT_COUNT = 1_000_000;
/** Entries appended per append while the store is written: one transaction each. */
const WRITE_BATCH_ENTRIES = 10_000;
/** Events per page read through the port, as the CLI reads them. */
const PORT_PAGE_EVENTS = 5_000;
const WAYS = ["port", "port-full", "rows", "parse-only", "read-only"] as const;
type Way = (typeof WAYS)[number];
const UNITS = ["sembako", "simpan_pinjam", "klinik", "apotek"] as const;
const thisFile = fileURLToPath(import.meta.url);

const metadata = (eventId: string): BaseMetadata => ({
  eventId,
  principalId: "cli:bench",
  role: "treasurer",
  recordedAt: "2025-01-01T00:00:00.000Z",
  idempotencyKey: null,
  requestHash: null,
  correlationId: null,
});

/** The lines of the bench's entry number `index`: two lines, every third entry three. */
const entryLines = (index: number): EntryLine[] => {
  const amount = 1000 + (index % 997) * 50;
  const unit = UNITS[index % UNITS.length] ?? null;
  const line = (
    account: string,
    side: "debit" | "credit",
    value: string,
    lineUnit: EntryLine["unit"],
  ): EntryLine => ({
    account,
    side,
    amount: value,
    memberId: null,
    unit: lineUnit,
    counterparty: null,
    memo: null,
  });
  return index % 3 === 2
    ? [
        line("1101", "debit", `${amount}.00`, null),
        line("1111", "debit", "500.50", null),
        line("4101", "credit", `${amount + 500}.50`, unit),
      ]
    : [
        line(index % 2 === 0 ? "1101" : "1111", "debit", `${amount}.00`, null),
        line("4101", "credit", `${amount}.00`, unit),
      ];
};

/** Writes a ledger of `count` posted two- and three-line entries, decided by the core itself. */
const writeStore = async (storeUrl: string, count: number): Promise<void> => {
  const store = await openEventStore(storeUrl);
  try {
    const opened = decide(
      {
        type: "OpenLedger",
        actor: { principalId: "bench-admin", role: "admin" },
        data: {
          coopId: COOP,
          name: "KKMP Replay",
          regionCode: "35.74.03.1002",
          accounts: chartTemplates.kkmp,
        },
      },
      initialLedgerState,
    );
    if (opened._tag === "Left") throw new Error(opened.left.message);
    const state: LedgerState = foldLedger(opened.right);
    let head = { nextRevision: 0, headHash: GENESIS_PREV_HASH };
    const append = async (events: readonly LedgerEvent[], ids: readonly string[]) => {
      const recorded = recordEvents(events, head, (_event, index) => metadata(ids[index] as string));
      const newEvents: NewEvent[] = recorded.map((event) => ({
        eventId: event.metadata.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      }));
      await store.append(STREAM, head.nextRevision === 0 ? "no_stream" : head.nextRevision - 1, newEvents);
      const last = recorded[recorded.length - 1];
      if (last !== undefined) head = { nextRevision: last.revision + 1, headHash: last.metadata.hash };
    };
    await append(
      opened.right,
      opened.right.map((_event, index) => eventIdFor("replay-bench-open", index)),
    );
    let events: LedgerEvent[] = [];
    let ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const date = `2025-${String(1 + (Math.floor(index / 28) % 12)).padStart(2, "0")}-${String(1 + (index % 28)).padStart(2, "0")}`;
      const lines = entryLines(index);
      const entryId = entryIdFor(COOP, "journal-entries", `replay-${index}`);
      const decision = decide(
        {
          type: "PostJournalEntry",
          actor: { principalId: "cli:bench", role: "treasurer" },
          data: { entryId, date, memo: `Penjualan ${index + 1}`, lines },
        },
        state,
      );
      if (decision._tag === "Left") throw new Error(decision.left.message);
      decision.right.forEach((event, eventIndex) => {
        applyInPlace(state, event);
        events.push(event);
        ids.push(eventIdFor(entryId, eventIndex));
      });
      if (events.length >= WRITE_BATCH_ENTRIES) {
        await append(events, ids);
        events = [];
        ids = [];
      }
    }
    if (events.length > 0) await append(events, ids);
  } finally {
    await store.close();
  }
};

interface WayResult {
  readonly way: Way;
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMegabytes: number;
  readonly accounts: number;
}

/** The ledger stream with the most events in the file. */
const largestLedgerStream = (path: string): string => {
  const database = new Database(path, { readonly: true });
  try {
    const row = database
      .prepare<[], { name: string }>(
        "SELECT name FROM streams WHERE name LIKE 'ledger-%' ORDER BY last_revision DESC LIMIT 1",
      )
      .get();
    if (row === undefined) throw new Error(`${path} holds no ledger stream`);
    return row.name;
  } finally {
    database.close();
  }
};

/** Folds the stream into `state` page by page through the port; `lean` reads only what the fold needs. */
const replayThroughPort = async (
  store: EventStore,
  stream: string,
  state: LedgerState,
  lean: boolean,
): Promise<number> => {
  let events = 0;
  let fromRevision = 0;
  for (;;) {
    const options = { fromRevision, limit: PORT_PAGE_EVENTS };
    const page = lean
      ? await readStreamData(store, stream, options)
      : await store.readStream(stream, options);
    for (const stored of page) applyInPlace(state, { type: stored.type, data: stored.data } as LedgerEvent);
    events += page.length;
    const last = page[page.length - 1];
    if (last === undefined || page.length < PORT_PAGE_EVENTS) return events;
    fromRevision = last.revision + 1;
  }
};

/**
 * Folds (or only reads and decodes) the stream's rows straight from better-sqlite3: the type and the
 * data column, decoded from its shape (schema version 3), without the port.
 */
const replayRows = (way: Way, path: string, stream: string, state: LedgerState): number => {
  const database = new Database(path, { readonly: true });
  try {
    const shapes = new SqliteShapes(database);
    const rows = database
      .prepare<[string], [string, number, string]>(
        "SELECT e.type, e.data_shape, e.data FROM events e WHERE e.stream_id = (SELECT stream_id FROM streams WHERE name = ?) ORDER BY e.revision",
      )
      .raw();
    let events = 0;
    for (const [type, shape, data] of rows.iterate(stream)) {
      events++;
      if (way === "read-only") continue;
      const decoded = shapes.decode(shape, data);
      if (way === "rows") applyInPlace(state, { type, data: decoded } as LedgerEvent);
    }
    return events;
  } finally {
    database.close();
  }
};

/** Runs one way in this process and prints its result as JSON (the child side). */
const runWay = async (way: Way, path: string, stream: string): Promise<void> => {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let events = 0;
  let state: LedgerState = foldLedger([]);
  if (way === "port" || way === "port-full") {
    const store = await openEventStore(`sqlite:${path}`);
    try {
      events = await replayThroughPort(store, stream, state, way === "port");
    } finally {
      await store.close();
    }
  } else {
    events = replayRows(way, path, stream, state);
    if (way !== "rows") state = foldLedger([]);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const result: WayResult = {
    way,
    events,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakMegabytes: Math.round(process.resourceUsage().maxRSS / 1024),
    accounts: state.accounts.size,
  };
  console.log(JSON.stringify(result));
};

/** The store `argument` names (`sqlite:PATH`), or a new one of that many entries (default a million). */
const storeToRead = async (
  argument: string | undefined,
): Promise<{ path: string; directory: string | null }> => {
  if (argument?.startsWith("sqlite:") === true)
    return { path: argument.slice("sqlite:".length), directory: null };
  const count = argument === undefined ? DEFAULT_COUNT : Number(argument);
  const directory = mkdtempSync(join(tmpdir(), "bukubesar-replay-bench-"));
  const path = join(directory, "bukubesar.db");
  const writeStarted = performance.now();
  await writeStore(`sqlite:${path}`, count);
  console.log(`wrote ${count} entries in ${((performance.now() - writeStarted) / 1000).toFixed(1)}s`);
  return { path, directory };
};

const main = async (): Promise<void> => {
  const [first, second] = process.argv.slice(2);
  if (first === "--way") {
    await runWay(second as Way, process.argv[4] as string, process.argv[5] as string);
    return;
  }
  const { path, directory } = await storeToRead(first);
  try {
    const stream = largestLedgerStream(path);
    const profile = process.env.PROFILE_DIR;
    const only = process.env.REPLAY_WAYS?.split(",");
    for (const way of WAYS.filter((candidate) => only === undefined || only.includes(candidate))) {
      const child = spawnSync(
        process.execPath,
        [
          ...(profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`]),
          "--import",
          "tsx",
          "--conditions=source",
          thisFile,
          "--way",
          way,
          path,
          stream,
        ],
        { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
      );
      const line = child.stdout.trim().split("\n").pop() ?? "";
      if (child.status !== 0 || !line.startsWith("{")) throw new Error(`${way} failed:\n${child.stderr}`);
      const result = JSON.parse(line) as WayResult;
      console.log(
        `${way.padEnd(10)} ${result.events} events in ${result.seconds.toFixed(2)}s = ${Math.round(result.events / result.seconds)} events/s, peak RSS ${result.peakMegabytes} MB, CPU ${result.cpuSeconds.toFixed(2)}s = ${Math.round(result.events / result.cpuSeconds)} events per CPU-second`,
      );
    }
  } finally {
    if (directory !== null && process.env.KEEP !== "1") rmSync(directory, { recursive: true, force: true });
    else if (directory !== null) console.log(`kept ${path}`);
  }
};

await main();
