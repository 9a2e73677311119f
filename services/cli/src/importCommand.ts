import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { toEntryLine } from "@bukubesar/contract";
import {
  appendToLedger,
  type EventStore,
  keyedRequestMatch,
  ledgerConflictBackoffMs,
} from "@bukubesar/event-store";
import {
  applyInPlace,
  type BaseMetadata,
  decide,
  entryIdFor,
  eventIdFor,
  foldLedger,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  isIdempotencyKey,
  type LedgerEvent,
  type LedgerState,
  laterInstant,
  ledgerStreamId,
  type RecordedLedgerEvent,
  recordedLedgerEventOf,
} from "@bukubesar/ledger-core";
import { CliError } from "./cliError.js";
import { warnOfClockLead } from "./clockLead.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { type DecidedLine, DecidedSpool } from "./decidedSpool.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exitCode.js";
import { type CsvFormat, type ReadLine, readImportFile } from "./importFile.js";
import {
  JOURNAL_ENTRIES_ROUTE,
  journalEntryRequestHash,
  validateJournalEntryBody,
} from "./journalEntryBody.js";
import { createProgress } from "./progress.js";
import { SeenRequests } from "./seenRequests.js";
import { readStreamPages, withStore } from "./storeAccess.js";

/**
 * Entries appended in one atomic append (one SQLite transaction). Measured on a million-row table: each
 * commit rewrites every index page its random event ids touched, so 5,000 per commit ran at ~27,000 rows/s
 * and 20,000 at ~56,000 (50,000: ~67,000). 20,000 holds the write lock (the server's appends wait) for
 * well under a second on this kind of machine, far inside the store's five-second busy timeout.
 */
export const IMPORT_BATCH_ENTRIES = 20_000;
/**
 * How many conflicts in a row (the service appended to the same ledger between the import's read and its
 * append, with no batch recorded since the last one) the import meets before it gives up.
 */
export const IMPORT_CONFLICT_RETRIES_MAX = 50;
/**
 * After a conflict the import decides and records in smaller batches: halved at each conflict down to
 * this, doubled at each batch recorded up to IMPORT_BATCH_ENTRIES. So the time between reading the
 * ledger's tail and appending shrinks until it fits between the service's posts; sixteen entries are
 * decided in well under a millisecond.
 */
export const IMPORT_CONFLICT_BATCH_MIN = 16;
/** Refusals a dry run lists before it stops reading: enough to fix a file in one pass, bounded output. */
export const IMPORT_DRY_RUN_REFUSALS_MAX = 100;
/** The separators --delimiter takes, by the names a person types. */
const DELIMITERS: Readonly<Record<string, string>> = {
  ",": ",",
  ";": ";",
  "|": "|",
  tab: "\t",
  "\\t": "\t",
  "\t": "\t",
};

export interface ImportOptions {
  readonly coop: string;
  readonly file: string;
  readonly as?: string;
  /** Check every line, report every refusal (up to IMPORT_DRY_RUN_REFUSALS_MAX), record nothing. */
  readonly dryRun?: boolean;
  /** The CSV separator (`,` `;` `tab` `|`); detected from the header when absent. */
  readonly delimiter?: string;
  /** The decimal mark of CSV amounts: `.` (default) or `,` (Indonesian notation, 1.234.567,50). */
  readonly decimal?: string;
}

/** The CSV format the options ask for, or a usage error naming what is accepted. */
const csvFormatOf = (options: ImportOptions): CsvFormat => {
  const decimal = options.decimal ?? ".";
  if (decimal !== "." && decimal !== ",")
    throw new CliError(`--decimal must be . or , (not ${JSON.stringify(decimal)})`, EXIT_USAGE);
  if (options.delimiter === undefined) return { decimalMark: decimal };
  const delimiter = DELIMITERS[options.delimiter];
  if (delimiter === undefined)
    throw new CliError(
      `--delimiter must be , ; | or tab (not ${JSON.stringify(options.delimiter)})`,
      EXIT_USAGE,
    );
  return { decimalMark: decimal, delimiter };
};

/** Where the next append goes: the ledger's last revision, its chain hash and its recording time. */
interface LedgerPosition {
  readonly revision: number;
  readonly headHash: string;
  /** The stream's last `recordedAt`: the import never records before it (docs/reliability.md, #27). */
  readonly lastRecordedAt: string;
}

interface LedgerHead extends LedgerPosition {
  /** Owned by the import alone (made by `foldLedger`), so deciding may apply events to it in place. */
  readonly state: LedgerState;
  /** The request hash of every keyed request already recorded, by the id of its first event. */
  readonly recordedRequests: Map<string, string | null>;
}

/** The ledger as last read from the store, moved on by reading its tail after a conflict (`catchUp`). */
interface KnownLedger {
  readonly state: LedgerState;
  revision: number;
  headHash: string;
  lastRecordedAt: string;
  readonly recordedRequests: Map<string, string | null>;
}

class LineRefused extends Error {
  constructor(
    readonly lineNumber: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`line ${lineNumber}: ${field}: ${reason}`);
  }
}

/**
 * Reads the cooperative's ledger once: its state, its head, and which keyed requests it already holds.
 * A keyed request's event ids derive from (cooperative, route, key), so they can only be in this stream;
 * one read of the stream answers every line's "was this key used?" without a lookup per line.
 */
const loadHead = async (store: EventStore, coopId: string): Promise<LedgerHead> => {
  // Folded page by page into a state of our own, so a long ledger is never held as a list of events.
  const state = foldLedger([]);
  const recordedRequests = new Map<string, string | null>();
  let last: RecordedLedgerEvent | undefined;
  for await (const page of readStreamPages(store, ledgerStreamId(coopId))) {
    for (const stored of page) {
      const event = recordedLedgerEventOf(stored);
      applyInPlace(state, event);
      last = event;
      if (event.metadata.idempotencyKey !== null)
        recordedRequests.set(event.metadata.eventId, event.metadata.requestHash);
    }
  }
  if (last === undefined) {
    throw new CliError(
      `there is no cooperative ${coopId} in this store; create it first`,
      EXIT_VERIFICATION_FAILED,
    );
  }
  return {
    state,
    revision: last.revision,
    headHash: last.metadata.hash,
    lastRecordedAt: last.metadata.recordedAt,
    recordedRequests,
  };
};

/**
 * Decides every line against the ledger as it would be after the lines before it, with the API's own
 * body validation and the core's own rules, recording nothing. Keys already recorded (a re-run) are
 * skipped when the body is the same and refused when it differs, exactly as the API would answer.
 * The head's state is advanced in place (it belongs to this import), so each line costs its own events,
 * not a copy of the whole ledger. Lines arrive one at a time from the file and are let go once decided.
 */
const decideLines = async (
  coopId: string,
  principalId: string,
  lines: AsyncIterable<ReadLine>,
  head: LedgerHead,
  decided: DecidedSpool,
  refusals: LineRefused[] | null = null,
): Promise<{ alreadyRecorded: number }> => {
  const state = head.state;
  const seenKeys = new SeenRequests();
  let alreadyRecorded = 0;
  for await (const read of lines) {
    try {
      alreadyRecorded += decideLine(coopId, principalId, read, head, state, seenKeys, decided);
    } catch (error) {
      // A dry run notes the refusal and goes on: a refused line changes no state, so the lines after it
      // are checked as they would be if it were taken out of the file.
      if (refusals === null || !(error instanceof LineRefused)) throw error;
      refusals.push(error);
      if (refusals.length >= IMPORT_DRY_RUN_REFUSALS_MAX) break;
    }
  }
  decided.close();
  return { alreadyRecorded };
};

/**
 * True when the line's key was met before with the same body, on an earlier line of the file or in the
 * ledger (nothing to do); refuses it with another body; else notes the key as seen and says false.
 */
const keySeenBefore = (
  lineNumber: number,
  key: string,
  requestHash: string,
  firstEventId: string,
  seenKeys: SeenRequests,
  recordedRequests: ReadonlyMap<string, string | null>,
): boolean => {
  const earlier = seenKeys.firstMet(key, requestHash);
  if (earlier !== undefined) {
    if (earlier === requestHash) return true;
    throw new LineRefused(
      lineNumber,
      "idempotencyKey",
      "idempotency_key_reused: an earlier line has this key with another body",
    );
  }
  if (!recordedRequests.has(firstEventId)) return false;
  if (keyedRequestMatch(recordedRequests.get(firstEventId) ?? null, requestHash) === "id_reused") {
    throw new LineRefused(
      lineNumber,
      "idempotencyKey",
      "idempotency_key_reused: this key was already used with another body",
    );
  }
  return true;
};

/** Decides one line into `decided`; returns 1 when its key was already recorded (nothing to do), else 0. */
const decideLine = (
  coopId: string,
  principalId: string,
  read: ReadLine,
  head: LedgerHead,
  state: LedgerState,
  seenKeys: SeenRequests,
  decided: Pick<DecidedSpool, "add">,
): number => {
  if (!read.ok) throw new LineRefused(read.lineNumber, read.field, read.message);
  const line = read.line;
  const key = line.idempotencyKey;
  // The rule of the HTTP header, so a key the import records can be retried by either path.
  if (!isIdempotencyKey(key)) {
    throw new LineRefused(
      line.lineNumber,
      "idempotencyKey",
      `idempotency_key_required: 1–${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII characters, not beginning or ending with a space`,
    );
  }
  const validation = validateJournalEntryBody(line.body);
  if (!validation.ok) {
    throw new LineRefused(
      line.lineNumber,
      validation.path === "" ? "(body)" : validation.path,
      `${validation.code}: ${validation.message}`,
    );
  }
  const body = validation.body;
  const requestHash = journalEntryRequestHash(line.body);
  const entryId = entryIdFor(coopId, JOURNAL_ENTRIES_ROUTE, key);
  const firstEventId = eventIdFor(entryId, 0);
  if (keySeenBefore(line.lineNumber, key, requestHash, firstEventId, seenKeys, head.recordedRequests))
    return 1;
  const command = {
    type: "PostJournalEntry" as const,
    actor: { principalId, role: "treasurer" as const },
    data: {
      entryId,
      date: body.date,
      memo: body.memo ?? "",
      lines: body.lines.map(toEntryLine),
      // An adjusting entry is imported as the API takes it: proposed, waiting for an approver.
      ...(body.kind === "adjusting" ? { kind: body.kind } : {}),
    },
  };
  const decision = decide(command, state);
  if (decision._tag === "Left") {
    const rejection = decision.left;
    throw new LineRefused(
      line.lineNumber,
      rejection.path ?? "(entry)",
      `${rejection.code}: ${rejection.message}`,
    );
  }
  for (const event of decision.right) applyInPlace(state, event);
  decided.add({
    lineNumber: line.lineNumber,
    key,
    entryId,
    firstEventId,
    requestHash,
    events: decision.right,
  });
  return 0;
};

/**
 * Appends one batch after `position` through the ledger's one write path (appendToLedger, which the API's
 * command handler uses too); returns the new position, or null when another writer got there first (a
 * conflict, or the same file's ids already stored by another run).
 */
const appendBatch = async (
  store: EventStore,
  coopId: string,
  principalId: string,
  batch: readonly DecidedLine[],
  position: LedgerPosition,
): Promise<LedgerPosition | null> => {
  // Never before the stream's last event, whatever this machine's clock says (as the API records).
  const recordedAt = laterInstant(position.lastRecordedAt, new Date().toISOString());
  // Each event's metadata is made when the chain reaches it (it is spread into the recorded event's at
  // once), not all first: a batch's worth of objects that would live through the append.
  const flat: LedgerEvent[] = [];
  const owners: DecidedLine[] = [];
  const indexes: number[] = [];
  for (const decided of batch) {
    decided.events.forEach((event, index) => {
      flat.push(event);
      owners.push(decided);
      indexes.push(index);
    });
  }
  const metadataOf = (eventIndex: number): BaseMetadata => {
    const decided = owners[eventIndex] as DecidedLine;
    const index = indexes[eventIndex] as number;
    return {
      eventId: index === 0 ? decided.firstEventId : eventIdFor(decided.entryId, index),
      principalId,
      role: "treasurer",
      recordedAt,
      idempotencyKey: decided.key,
      requestHash: decided.requestHash,
      correlationId: null,
    };
  };
  const outcome = await appendToLedger(store, coopId, position, flat, metadataOf);
  if (outcome.kind !== "appended") return null;
  const last = outcome.recorded.at(-1);
  return {
    revision: last?.revision ?? position.revision,
    headHash: last?.metadata.hash ?? position.headHash,
    lastRecordedAt: recordedAt,
  };
};

/** What a dry run found: every refusal (up to the limit) and what a real run would record. */
const reportDryRun = (
  context: CommandContext,
  refusals: readonly LineRefused[],
  wouldRecord: number,
  alreadyRecorded: number,
): ExitCode => {
  for (const refusal of refusals)
    writeLine(context.stderr, `line ${refusal.lineNumber}, field ${refusal.field}: ${refusal.reason}`);
  if (refusals.length >= IMPORT_DRY_RUN_REFUSALS_MAX)
    writeLine(
      context.stderr,
      `(stopped after ${IMPORT_DRY_RUN_REFUSALS_MAX} refused lines; there may be more)`,
    );
  writeLine(
    context.stdout,
    refusals.length === 0
      ? `Dry run: every line is acceptable; ${wouldRecord} entries would be recorded, ${alreadyRecorded} are already recorded. Nothing was recorded.`
      : `Dry run: ${refusals.length} refused line(s); ${wouldRecord} other entries would be recorded. Nothing was recorded.`,
  );
  return refusals.length === 0 ? EXIT_OK : EXIT_VERIFICATION_FAILED;
};

/** Where recording stands, shared by the steps below. */
interface Recording {
  readonly store: EventStore;
  readonly coopId: string;
  readonly principalId: string;
  readonly progress: ReturnType<typeof createProgress>;
  /** The ledger as last read; the first pass decided on a copy of it, so it is still as read. */
  readonly known: KnownLedger;
  position: LedgerPosition;
  done: number;
  awaitingApproval: number;
  /** Appends another writer got ahead of, in all. */
  conflicts: number;
}

/** Appends `batch` (decided lines) at the current position; false when another writer got there first. */
const recordBatch = async (recording: Recording, batch: readonly DecidedLine[]): Promise<boolean> => {
  if (batch.length === 0) return true;
  const { store, coopId, principalId } = recording;
  const appended = await appendBatch(store, coopId, principalId, batch, recording.position);
  if (appended === null) {
    recording.conflicts += 1;
    return false;
  }
  recording.position = appended;
  recording.done += batch.length;
  recording.awaitingApproval += batch.filter((line) =>
    line.events.some((event) => event.type === "JournalEntryProposed"),
  ).length;
  recording.progress.update(recording.done);
  return true;
};

/**
 * Records the first pass's decided lines batch by batch; the line number of the first line of the batch
 * another writer got ahead of, or null when every line is recorded.
 */
const recordSpool = async (recording: Recording, spool: DecidedSpool): Promise<number | null> => {
  for (const batch of spool.batches(IMPORT_BATCH_ENTRIES)) {
    if (!(await recordBatch(recording, batch))) return (batch[0] as DecidedLine).lineNumber;
  }
  return null;
};

/**
 * Reads the ledger's events after the known head (its tail, not the whole stream) into it: the state,
 * the head, and the keyed requests recorded, so lines whose keys another writer recorded are skipped.
 */
const catchUp = async (store: EventStore, coopId: string, known: KnownLedger): Promise<void> => {
  for await (const page of readStreamPages(store, ledgerStreamId(coopId), known.revision + 1)) {
    for (const stored of page) {
      const event = recordedLedgerEventOf(stored);
      applyInPlace(known.state, event);
      known.revision = event.revision;
      known.headHash = event.metadata.hash;
      known.lastRecordedAt = event.metadata.recordedAt;
      if (event.metadata.idempotencyKey !== null)
        known.recordedRequests.set(event.metadata.eventId, event.metadata.requestHash);
    }
  }
};

/** Lines being decided after a conflict: those of the batch that met it come again before the file's. */
interface LineSource {
  readonly reader: AsyncIterator<ReadLine>;
  again: ReadLine[];
}

/** Up to `size` lines decided on `deciding`: the lines taken and what they decided to record. */
const decideBatch = async (
  recording: Recording,
  source: LineSource,
  deciding: LedgerHead,
  seenKeys: SeenRequests,
  size: number,
): Promise<{ reads: ReadLine[]; decided: DecidedLine[] }> => {
  const reads = source.again.splice(0, size);
  while (reads.length < size) {
    const next = await source.reader.next();
    if (next.done === true) break;
    reads.push(next.value);
  }
  const decided: DecidedLine[] = [];
  const sink = { add: (line: DecidedLine) => decided.push(line) };
  for (const read of reads)
    decideLine(recording.coopId, recording.principalId, read, deciding, deciding.state, seenKeys, sink);
  return { reads, decided };
};

/**
 * Records the lines from `fromLineNumber` on once another writer got ahead of the import: after a
 * jittered pause (the API's, ledgerConflictBackoffMs) it reads the ledger's tail, decides the next batch
 * on a copy of the ledger so caught up and appends it at once; each conflict halves the batch (down to
 * IMPORT_CONFLICT_BATCH_MIN) and each recorded batch doubles it, so the import keeps pace with a service
 * that posts steadily instead of deciding every remaining line again after every conflict.
 */
const recordAfterConflicts = async (recording: Recording, lines: AsyncIterable<ReadLine>): Promise<void> => {
  const source: LineSource = { reader: lines[Symbol.asyncIterator](), again: [] };
  let conflicts = 1;
  let size = IMPORT_BATCH_ENTRIES;
  for (;;) {
    if (conflicts > IMPORT_CONFLICT_RETRIES_MAX)
      throw new CliError(
        "the ledger keeps changing under the import; try again later",
        EXIT_VERIFICATION_FAILED,
      );
    await new Promise((resolve) => setTimeout(resolve, ledgerConflictBackoffMs(conflicts - 1)));
    const known = recording.known;
    await catchUp(recording.store, recording.coopId, known);
    recording.position = {
      revision: known.revision,
      headHash: known.headHash,
      lastRecordedAt: known.lastRecordedAt,
    };
    size = Math.max(IMPORT_CONFLICT_BATCH_MIN, Math.floor(size / 2));
    const deciding: LedgerHead = {
      ...recording.position,
      state: foldLedger([], known.state),
      recordedRequests: known.recordedRequests,
    };
    const seenKeys = new SeenRequests();
    for (;;) {
      const batch = await decideBatch(recording, source, deciding, seenKeys, size);
      if (batch.reads.length === 0) return;
      if (!(await recordBatch(recording, batch.decided))) {
        source.again = [...batch.reads, ...source.again];
        conflicts += 1;
        break;
      }
      conflicts = 1;
      size = Math.min(IMPORT_BATCH_ENTRIES, size * 2);
    }
  }
};

/** Records every decided line, deciding the rest again after a conflict; a refusal then stops it there. */
const recordAll = async (
  context: CommandContext,
  recording: Recording,
  spool: DecidedSpool,
  linesFrom: (fromLineNumber: number) => AsyncIterable<ReadLine>,
): Promise<ExitCode> => {
  try {
    const conflictedAt = await recordSpool(recording, spool);
    if (conflictedAt !== null) await recordAfterConflicts(recording, linesFrom(conflictedAt));
  } catch (error) {
    if (!(error instanceof LineRefused)) throw error;
    recording.progress.finish(recording.done);
    writeLine(
      context.stderr,
      `Import stopped: line ${error.lineNumber}, field ${error.field}: ${error.reason}`,
    );
    writeLine(
      context.stderr,
      `${recording.done} entries before that line were recorded; nothing from that line on.`,
    );
    return EXIT_VERIFICATION_FAILED;
  }
  recording.progress.finish(recording.done);
  if (recording.conflicts > 0)
    writeLine(
      context.stderr,
      `Another writer appended to the ledger ${recording.conflicts} time(s) under the import; each time its tail was read and the rest decided again.`,
    );
  return EXIT_OK;
};

/** The file's path and size; a file that cannot be read is a usage error. */
const importedFile = (context: CommandContext, options: ImportOptions): { path: string; bytes: number } => {
  const path = resolve(context.workingDirectory, options.file);
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new Error("EISDIR: illegal operation on a directory, read");
    return { path, bytes: stat.size };
  } catch (error) {
    throw cannotRead(options, error);
  }
};

const cannotRead = (options: ImportOptions, error: unknown): CliError =>
  new CliError(`cannot read ${options.file}: ${(error as Error).message}`, EXIT_USAGE);

/** The file's lines from a line number on, and the progress of the first pass (by bytes of the file). */
const fileLines = (options: ImportOptions, path: string, onBytes: (bytes: number) => void) =>
  async function* linesFrom(fromLineNumber: number): AsyncGenerator<ReadLine> {
    const reader = readImportFile(options.file, path, {
      csv: csvFormatOf(options),
      keepGoing: options.dryRun === true,
      onBytes,
    });
    try {
      for (;;) {
        let next: IteratorResult<ReadLine>;
        try {
          next = await reader.next();
        } catch (error) {
          // A read error (the file vanished) is a usage error.
          throw cannotRead(options, error);
        }
        if (next.done === true) return;
        const read = next.value;
        if (!read.ok || read.line.lineNumber >= fromLineNumber) yield read;
      }
    } finally {
      // A consumer that stops early (a refused line, a dry run's last refusal) ends the reader too, so
      // the file it opened is closed now, not when the process exits.
      await reader.return(undefined);
    }
  };

/** What the import works with once the file and the principal are known. */
interface ImportRun {
  readonly context: CommandContext;
  readonly options: ImportOptions;
  readonly principalId: string;
  readonly fileBytes: number;
  readonly linesFrom: (fromLineNumber: number) => AsyncGenerator<ReadLine>;
  readonly newSpool: () => DecidedSpool;
  /** Reading and checking show progress too (by bytes of the file), from the first moment on a terminal. */
  checking: ReturnType<typeof createProgress> | null;
}

/** The first pass: every line decided on a copy of the ledger; a refusal records nothing at all. */
const checkEveryLine = async (
  run: ImportRun,
  head: LedgerHead,
  spool: DecidedSpool,
): Promise<{ alreadyRecorded: number } | ExitCode> => {
  const { context, options, principalId, fileBytes } = run;
  const copy: LedgerHead = { ...head, state: foldLedger([], head.state) };
  try {
    const decided = await decideLines(options.coop, principalId, run.linesFrom(0), copy, spool);
    run.checking?.finish(fileBytes);
    return decided;
  } catch (error) {
    if (!(error instanceof LineRefused)) throw error;
    run.checking?.finish(fileBytes);
    writeLine(
      context.stderr,
      `Import refused: line ${error.lineNumber}, field ${error.field}: ${error.reason}`,
    );
    writeLine(context.stderr, "Nothing was recorded (every line is checked before any is recorded).");
    return EXIT_VERIFICATION_FAILED;
  } finally {
    run.checking = null;
  }
};

/** The import on an open store: check every line (or only that, for a dry run), then record them. */
const importInto = async (run: ImportRun, store: EventStore): Promise<ExitCode> => {
  const { context, options, principalId } = run;
  const started = Date.now();
  const head = await loadHead(store, options.coop);
  warnOfClockLead(context.stderr, options.coop, head.lastRecordedAt, new Date().toISOString());
  const spool = run.newSpool();
  run.checking = createProgress(context.stderr, "checking (bytes)", run.fileBytes);
  if (options.dryRun === true) {
    const refusals: LineRefused[] = [];
    const { alreadyRecorded } = await decideLines(
      options.coop,
      principalId,
      run.linesFrom(0),
      head,
      spool,
      refusals,
    );
    run.checking.finish(run.fileBytes);
    run.checking = null;
    return reportDryRun(context, refusals, spool.count, alreadyRecorded);
  }
  const checked = await checkEveryLine(run, head, spool);
  if (typeof checked === "number") return checked;
  const recording: Recording = {
    store,
    coopId: options.coop,
    principalId,
    progress: createProgress(context.stderr, "import", spool.count),
    known: head,
    position: head,
    done: 0,
    awaitingApproval: 0,
    conflicts: 0,
  };
  const exit = await recordAll(context, recording, spool, run.linesFrom);
  if (exit !== EXIT_OK) return exit;
  // Every line of the file was recorded now or before (a refusal would have stopped the import).
  const alreadyRecorded = spool.count + checked.alreadyRecorded - recording.done;
  const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
  writeLine(
    context.stdout,
    `Imported ${recording.done} entries into ${options.coop} as ${principalId}` +
      (recording.awaitingApproval > 0 ? ` (${recording.awaitingApproval} await approval)` : "") +
      `; ${alreadyRecorded} already recorded; ${Math.round(recording.done / seconds)} entries/s.`,
  );
  return EXIT_OK;
};

/**
 * `bukubesar import`: validates and decides EVERY line first; if any line is refused, nothing at all is
 * recorded (a stricter reading of "nothing from that line on": the treasurer fixes the file and runs it
 * again). The file is read as a stream in this first pass and the decided events go to a temporary
 * file, so memory holds the ledger state and one batch, not the file nor a million decided entries.
 * Then records in batches, each one atomic. If the service appends to the same ledger while the import
 * runs, the import pauses, reads the ledger's tail and decides the remaining lines again on the new head
 * batch by batch (recordAfterConflicts), so the API's rules still hold; a line refused at that point stops
 * the import there, with the lines before it recorded. Re-running a file records nothing twice: each
 * line's idempotency key gives its entry and event ids.
 */
export const runImport = async (context: CommandContext, options: ImportOptions): Promise<ExitCode> => {
  const principalName = options.as ?? "import";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(principalName)) {
    throw new CliError("--as must be 1–64 letters, digits, dots, dashes or underscores", EXIT_USAGE);
  }
  csvFormatOf(options);
  const file = importedFile(context, options);
  const spoolDirectory = mkdtempSync(join(tmpdir(), "bukubesar-import-"));
  let spools = 0;
  const run: ImportRun = {
    context,
    options,
    principalId: `cli:${principalName}`,
    fileBytes: file.bytes,
    linesFrom: fileLines(options, file.path, (bytes) => run.checking?.update(bytes)),
    newSpool: () => new DecidedSpool(join(spoolDirectory, `decided-${++spools}.jsonl`)),
    checking: null,
  };
  try {
    return await withStore(storeUrlOf(context), { mustExist: false, bulkAppends: true }, (store) =>
      importInto(run, store),
    );
  } finally {
    rmSync(spoolDirectory, { recursive: true, force: true });
  }
};
