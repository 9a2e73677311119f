import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type EventStore, isStoreFailure, type NewEvent } from "@bukubesar/event-store";
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
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exit-code.js";
import { type ImportLine, parseImportFile } from "./import-file.js";
import {
  JOURNAL_ENTRIES_ROUTE,
  journalEntryRequestHash,
  toEntryLine,
  validateJournalEntryBody,
} from "./journal-entry-body.js";
import { createProgress } from "./progress.js";
import { toRecordedLedgerEvent } from "./projection-comparison.js";
import { readStreamPages, withStore } from "./store-access.js";

/** Entries appended in one atomic append: big enough for speed, small enough to bound one transaction. */
export const IMPORT_BATCH_ENTRIES = 2_000;
/** How often a batch is re-decided after the service appended to the same ledger in between. */
export const IMPORT_CONFLICT_RETRIES_MAX = 50;
/** api.md: an Idempotency-Key is 1–128 printable ASCII characters. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,128}$/;

export interface ImportOptions {
  readonly coop: string;
  readonly file: string;
  readonly as?: string;
}

/** A validated line ready to record: its decided events, or null when the key was already recorded. */
interface DecidedLine {
  readonly line: ImportLine;
  readonly key: string;
  readonly entryId: string;
  /** The id of the entry's first event, computed once for the idempotency check and the append. */
  readonly firstEventId: string;
  readonly requestHash: string;
  readonly events: readonly LedgerEvent[];
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
  const events: RecordedLedgerEvent[] = [];
  const recordedRequests = new Map<string, string | null>();
  for await (const page of readStreamPages(store, ledgerStreamId(coopId))) {
    for (const stored of page) {
      const event = toRecordedLedgerEvent(stored);
      events.push(event);
      if (event.metadata.idempotencyKey !== null)
        recordedRequests.set(event.metadata.eventId, event.metadata.requestHash);
    }
  }
  const last = events[events.length - 1];
  if (last === undefined) {
    throw new CliError(
      `there is no cooperative ${coopId} in this store; create it first`,
      EXIT_VERIFICATION_FAILED,
    );
  }
  return {
    state: foldLedger(events),
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
 * not a copy of the whole ledger.
 */
const decideLines = (
  coopId: string,
  principalId: string,
  lines: readonly ImportLine[],
  head: LedgerHead,
): { decided: DecidedLine[]; alreadyRecorded: number } => {
  const state = head.state;
  const decided: DecidedLine[] = [];
  const seenKeys = new Map<string, string>();
  let alreadyRecorded = 0;
  for (const line of lines) {
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
    const entryId = entryIdFor(coopId, JOURNAL_ENTRIES_ROUTE, key);
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
    decided.push({ line, key, entryId, firstEventId, requestHash, events: decision.right });
  }
  return { decided, alreadyRecorded };
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
    if (result.nextExpectedRevision !== position.revision + recorded.length) return null;
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
 * again). Then records in batches, each one atomic. If the service appends to the same ledger while the
 * import runs, the remaining lines are decided again on the new head, so the API's rules still hold; a
 * line refused at that point stops the import there, with the lines before it recorded. Re-running a
 * file records nothing twice: each line's idempotency key gives its entry and event ids.
 */
export const runImport = async (context: CommandContext, options: ImportOptions): Promise<ExitCode> => {
  const principalName = options.as ?? "import";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(principalName)) {
    throw new CliError("--as must be 1–64 letters, digits, dots, dashes or underscores", EXIT_USAGE);
  }
  const principalId = `cli:${principalName}`;
  let text: string;
  try {
    text = readFileSync(resolve(context.workingDirectory, options.file), "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${options.file}: ${(error as Error).message}`, EXIT_USAGE);
  }
  const parsed = parseImportFile(options.file, text);
  if (!parsed.ok) {
    writeLine(
      context.stderr,
      `Import refused: line ${parsed.lineNumber}, field ${parsed.field}: ${parsed.message}`,
    );
    writeLine(context.stderr, "Nothing was recorded.");
    return EXIT_VERIFICATION_FAILED;
  }
  const started = Date.now();
  return withStore(storeUrlOf(context), { mustExist: false }, async (store) => {
    const head = await loadHead(store, options.coop);
    let position: LedgerPosition = head;
    let decided: DecidedLine[];
    let alreadyRecorded: number;
    try {
      ({ decided, alreadyRecorded } = decideLines(options.coop, principalId, parsed.lines, head));
    } catch (error) {
      if (!(error instanceof LineRefused)) throw error;
      writeLine(
        context.stderr,
        `Import refused: line ${error.lineNumber}, field ${error.field}: ${error.reason}`,
      );
      writeLine(context.stderr, "Nothing was recorded (every line is checked before any is recorded).");
      return EXIT_VERIFICATION_FAILED;
    }
    const total = decided.length;
    const progress = createProgress(context.stderr, "import", total);
    let done = 0;
    let conflicts = 0;
    let pending = decided;
    while (pending.length > 0) {
      const batch = pending.slice(0, IMPORT_BATCH_ENTRIES);
      const next = await appendBatch(store, options.coop, principalId, batch, position);
      if (next === null) {
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
        try {
          const again = decideLines(
            options.coop,
            principalId,
            pending.map((item) => item.line),
            fresh,
          );
          alreadyRecorded += again.alreadyRecorded;
          pending = again.decided;
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
        continue;
      }
      position = next;
      done += batch.length;
      pending = pending.slice(batch.length);
      progress.update(done);
    }
    progress.finish(done);
    const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
    const proposed = decided.filter((item) =>
      item.events.some((event) => event.type === "JournalEntryProposed"),
    ).length;
    writeLine(
      context.stdout,
      `Imported ${done} entries into ${options.coop} as ${principalId}` +
        (proposed > 0 ? ` (${proposed} await approval)` : "") +
        `; ${alreadyRecorded} already recorded; ${Math.round(done / seconds)} entries/s.`,
    );
    return EXIT_OK;
  });
};
