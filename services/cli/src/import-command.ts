import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type EventStore, isStoreFailure, type NewEvent } from "@bukubesar/event-store";
import { toEntryLine } from "@bukubesar/ledger-api";
import {
  applyInPlace,
  type BaseMetadata,
  decide,
  entryIdFor,
  eventIdFor,
  foldLedger,
  type LedgerEvent,
  type LedgerState,
  ledgerStreamId,
  type RecordedLedgerEvent,
  recordEvents,
} from "@bukubesar/ledger-core";
import { CliError } from "./cli-error.js";
import { type CommandContext, storeUrlOf, writeLine } from "./command-context.js";
import { type DecidedLine, DecidedSpool } from "./decided-spool.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exit-code.js";
import { type ReadLine, readImportFile } from "./import-file.js";
import {
  JOURNAL_ENTRIES_ROUTE,
  journalEntryRequestHash,
  validateJournalEntryBody,
} from "./journal-entry-body.js";
import { createProgress } from "./progress.js";
import { toRecordedLedgerEvent } from "./projection-comparison.js";
import { readStreamPages, withStore } from "./store-access.js";

/**
 * Entries appended in one atomic append (one SQLite transaction). Measured on a million-row table: each
 * commit rewrites every index page its random event ids touched, so 5,000 per commit ran at ~27,000 rows/s
 * and 20,000 at ~56,000 (50,000: ~67,000). 20,000 holds the write lock (the server's appends wait) for
 * well under a second on this kind of machine, far inside the store's five-second busy timeout.
 */
export const IMPORT_BATCH_ENTRIES = 20_000;
/** How often a batch is re-decided after the service appended to the same ledger in between. */
export const IMPORT_CONFLICT_RETRIES_MAX = 50;
/** api.md: an Idempotency-Key is 1–128 printable ASCII characters. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,128}$/;

export interface ImportOptions {
  readonly coop: string;
  readonly file: string;
  readonly as?: string;
}

/** Where the next append goes: the ledger's last revision and its chain hash. */
interface LedgerPosition {
  readonly revision: number;
  readonly headHash: string;
}

interface LedgerHead extends LedgerPosition {
  /** Owned by the import alone (made by `foldLedger`), so deciding may apply events to it in place. */
  readonly state: LedgerState;
  /** The request hash of every keyed request already recorded, by the id of its first event. */
  readonly recordedRequests: ReadonlyMap<string, string | null>;
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
      const event = toRecordedLedgerEvent(stored);
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
): Promise<{ alreadyRecorded: number }> => {
  const state = head.state;
  const seenKeys = new Map<string, string>();
  let alreadyRecorded = 0;
  for await (const read of lines) {
    if (!read.ok) throw new LineRefused(read.lineNumber, read.field, read.message);
    const line = read.line;
    const key = line.idempotencyKey;
    if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new LineRefused(
        line.lineNumber,
        "idempotencyKey",
        "idempotency_key_required: 1–128 printable ASCII characters",
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
    const earlier = seenKeys.get(key);
    if (earlier !== undefined) {
      if (earlier !== requestHash) {
        throw new LineRefused(
          line.lineNumber,
          "idempotencyKey",
          "idempotency_key_reused: an earlier line has this key with another body",
        );
      }
      alreadyRecorded++;
      continue;
    }
    seenKeys.set(key, requestHash);
    const entryId = entryIdFor(coopId, JOURNAL_ENTRIES_ROUTE, key);
    const firstEventId = eventIdFor(entryId, 0);
    if (head.recordedRequests.has(firstEventId)) {
      if (head.recordedRequests.get(firstEventId) !== requestHash) {
        throw new LineRefused(
          line.lineNumber,
          "idempotencyKey",
          "idempotency_key_reused: this key was already used with another body",
        );
      }
      alreadyRecorded++;
      continue;
    }
    const command = {
      type: "PostJournalEntry" as const,
      actor: { principalId, role: "treasurer" as const },
      data: {
        entryId,
        date: body.date,
        memo: body.memo ?? "",
        lines: body.lines.map(toEntryLine),
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
  }
  decided.close();
  return { alreadyRecorded };
};

/** Appends one batch after `position`; returns the new position, or null when another writer got there first. */
const appendBatch = async (
  store: EventStore,
  coopId: string,
  principalId: string,
  batch: readonly DecidedLine[],
  position: LedgerPosition,
): Promise<LedgerPosition | null> => {
  const recordedAt = new Date().toISOString();
  const flat: LedgerEvent[] = [];
  const bases: BaseMetadata[] = [];
  for (const decided of batch) {
    decided.events.forEach((event, index) => {
      flat.push(event);
      bases.push({
        eventId: index === 0 ? decided.firstEventId : eventIdFor(decided.entryId, index),
        principalId,
        role: "treasurer",
        recordedAt,
        idempotencyKey: decided.key,
        requestHash: decided.requestHash,
        correlationId: null,
      });
    });
  }
  const recorded = recordEvents(
    flat,
    { nextRevision: position.revision + 1, headHash: position.headHash },
    (_event, index) => bases[index] as BaseMetadata,
  );
  const newEvents: NewEvent[] = recorded.map((event) => ({
    eventId: event.metadata.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  }));
  try {
    const result = await store.append(ledgerStreamId(coopId), position.revision, newEvents);
    // The store answers an append of ids it already holds as a no-op: another import of the same file won.
    if (result.alreadyStored || result.nextExpectedRevision !== position.revision + recorded.length)
      return null;
  } catch (error) {
    if (
      isStoreFailure(error) &&
      (error.error._tag === "WrongExpectedRevision" || error.error._tag === "EventIdReused")
    ) {
      return null;
    }
    throw error;
  }
  const last = recorded[recorded.length - 1];
  return {
    revision: last?.revision ?? position.revision,
    headHash: last?.metadata.hash ?? position.headHash,
  };
};

/**
 * `bukubesar import`: validates and decides EVERY line first; if any line is refused, nothing at all is
 * recorded (a stricter reading of "nothing from that line on": the treasurer fixes the file and runs it
 * again). The file is read as a stream in this first pass and the decided events go to a temporary
 * file, so memory holds the ledger state and one batch, not the file nor a million decided entries.
 * Then records in batches, each one atomic. If the service appends to the
 * same ledger while the import runs, the remaining lines are read from the file again and decided again
 * on the new head, so the API's rules still hold; a line refused at that point stops the import there,
 * with the lines before it recorded. Re-running a file records nothing twice: each line's idempotency
 * key gives its entry and event ids.
 */
export const runImport = async (context: CommandContext, options: ImportOptions): Promise<ExitCode> => {
  const principalName = options.as ?? "import";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(principalName)) {
    throw new CliError("--as must be 1–64 letters, digits, dots, dashes or underscores", EXIT_USAGE);
  }
  const principalId = `cli:${principalName}`;
  const path = resolve(context.workingDirectory, options.file);
  const cannotRead = (error: unknown): CliError =>
    new CliError(`cannot read ${options.file}: ${(error as Error).message}`, EXIT_USAGE);
  try {
    if (statSync(path).isDirectory()) throw new Error("EISDIR: illegal operation on a directory, read");
  } catch (error) {
    throw cannotRead(error);
  }
  /** The file's lines from `fromLineNumber` on; a read error (the file vanished) is a usage error. */
  async function* linesFrom(fromLineNumber: number): AsyncGenerator<ReadLine> {
    const reader = readImportFile(options.file, path);
    for (;;) {
      let next: IteratorResult<ReadLine>;
      try {
        next = await reader.next();
      } catch (error) {
        throw cannotRead(error);
      }
      if (next.done === true) return;
      const read = next.value;
      if (!read.ok || read.line.lineNumber >= fromLineNumber) yield read;
    }
  }
  const started = Date.now();
  const spoolDirectory = mkdtempSync(join(tmpdir(), "bukubesar-import-"));
  let spools = 0;
  const newSpool = (): DecidedSpool => new DecidedSpool(join(spoolDirectory, `decided-${++spools}.jsonl`));
  try {
    return await withStore(storeUrlOf(context), { mustExist: false }, async (store) => {
      const head = await loadHead(store, options.coop);
      let position: LedgerPosition = head;
      let spool = newSpool();
      let alreadyRecorded: number;
      try {
        ({ alreadyRecorded } = await decideLines(options.coop, principalId, linesFrom(0), head, spool));
      } catch (error) {
        if (!(error instanceof LineRefused)) throw error;
        writeLine(
          context.stderr,
          `Import refused: line ${error.lineNumber}, field ${error.field}: ${error.reason}`,
        );
        writeLine(context.stderr, "Nothing was recorded (every line is checked before any is recorded).");
        return EXIT_VERIFICATION_FAILED;
      }
      const progress = createProgress(context.stderr, "import", spool.count);
      let done = 0;
      let awaitingApproval = 0;
      let conflicts = 0;
      for (;;) {
        // Records the spool batch by batch; stops at the first batch another writer got ahead of.
        let batch: DecidedLine[] = [];
        let conflicted = false;
        const record = async (): Promise<boolean> => {
          const appended = await appendBatch(store, options.coop, principalId, batch, position);
          if (appended === null) return false;
          position = appended;
          done += batch.length;
          awaitingApproval += batch.filter((line) =>
            line.events.some((event) => event.type === "JournalEntryProposed"),
          ).length;
          batch = [];
          progress.update(done);
          return true;
        };
        for await (const line of spool.lines()) {
          batch.push(line);
          if (batch.length >= IMPORT_BATCH_ENTRIES && !(await record())) {
            conflicted = true;
            break;
          }
        }
        if (!conflicted && batch.length > 0 && !(await record())) conflicted = true;
        if (!conflicted) break;
        // The service (or another import) appended in between: decide the rest again on the new head.
        conflicts++;
        if (conflicts > IMPORT_CONFLICT_RETRIES_MAX) {
          throw new CliError(
            "the ledger keeps changing under the import; try again later",
            EXIT_VERIFICATION_FAILED,
          );
        }
        const fresh = await loadHead(store, options.coop);
        position = fresh;
        spool = newSpool();
        try {
          const again = await decideLines(
            options.coop,
            principalId,
            linesFrom((batch[0] as DecidedLine).lineNumber),
            fresh,
            spool,
          );
          alreadyRecorded += again.alreadyRecorded;
        } catch (error) {
          if (!(error instanceof LineRefused)) throw error;
          progress.finish(done);
          writeLine(
            context.stderr,
            `Import stopped: line ${error.lineNumber}, field ${error.field}: ${error.reason}`,
          );
          writeLine(
            context.stderr,
            `${done} entries before that line were recorded; nothing from that line on.`,
          );
          return EXIT_VERIFICATION_FAILED;
        }
      }
      progress.finish(done);
      const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
      writeLine(
        context.stdout,
        `Imported ${done} entries into ${options.coop} as ${principalId}` +
          (awaitingApproval > 0 ? ` (${awaitingApproval} await approval)` : "") +
          `; ${alreadyRecorded} already recorded; ${Math.round(done / seconds)} entries/s.`,
      );
      return EXIT_OK;
    });
  } finally {
    rmSync(spoolDirectory, { recursive: true, force: true });
  }
};
