import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type EventStore, isStoreFailure, type NewEvent } from "@bukubesar/event-store";
import {
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
  readonly requestHash: string;
  readonly events: readonly LedgerEvent[];
}

interface LedgerHead {
  state: LedgerState;
  revision: number;
  headHash: string;
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

const loadHead = async (store: EventStore, coopId: string): Promise<LedgerHead> => {
  const events: RecordedLedgerEvent[] = [];
  for await (const page of readStreamPages(store, ledgerStreamId(coopId))) {
    for (const event of page) events.push(toRecordedLedgerEvent(event));
  }
  const last = events[events.length - 1];
  if (last === undefined) {
    throw new CliError(
      `there is no cooperative ${coopId} in this store; create it first`,
      EXIT_VERIFICATION_FAILED,
    );
  }
  return { state: foldLedger(events), revision: last.revision, headHash: last.metadata.hash };
};

/**
 * Decides every line against the ledger as it would be after the lines before it, with the API's own
 * body validation and the core's own rules, recording nothing. Keys already recorded (a re-run) are
 * skipped when the body is the same and refused when it differs, exactly as the API would answer.
 */
const decideLines = async (
  store: EventStore,
  coopId: string,
  principalId: string,
  lines: readonly ImportLine[],
  head: LedgerHead,
): Promise<{ decided: DecidedLine[]; alreadyRecorded: number }> => {
  let state = head.state;
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
    const stored = await store.readEventById(eventIdFor(entryId, 0));
    if (stored !== null) {
      const storedHash = (stored.metadata as { requestHash?: unknown }).requestHash;
      if (storedHash !== requestHash) {
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
    state = foldLedger(decision.right, state);
    decided.push({ line, key, entryId, requestHash, events: decision.right });
  }
  return { decided, alreadyRecorded };
};

/** Appends one batch after `head`; returns the new head, or null when another writer got there first. */
const appendBatch = async (
  store: EventStore,
  coopId: string,
  principalId: string,
  batch: readonly DecidedLine[],
  head: LedgerHead,
): Promise<LedgerHead | null> => {
  const recordedAt = new Date().toISOString();
  const flat: { event: LedgerEvent; base: BaseMetadata }[] = [];
  for (const decided of batch) {
    decided.events.forEach((event, index) => {
      flat.push({
        event,
        base: {
          eventId: eventIdFor(decided.entryId, index),
          principalId,
          role: "treasurer",
          recordedAt,
          idempotencyKey: decided.key,
          requestHash: decided.requestHash,
          correlationId: null,
        },
      });
    });
  }
  const recorded = recordEvents(
    flat.map((item) => item.event),
    { nextRevision: head.revision + 1, headHash: head.headHash },
    (_event, index) => (flat[index] as { base: BaseMetadata }).base,
  );
  const newEvents: NewEvent[] = recorded.map((event) => ({
    eventId: event.metadata.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  }));
  try {
    await store.append(ledgerStreamId(coopId), head.revision, newEvents);
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
    state: foldLedger(
      batch.flatMap((decided) => decided.events),
      head.state,
    ),
    revision: last?.revision ?? head.revision,
    headHash: last?.metadata.hash ?? head.headHash,
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
    let head = await loadHead(store, options.coop);
    let decided: DecidedLine[];
    let alreadyRecorded: number;
    try {
      ({ decided, alreadyRecorded } = await decideLines(
        store,
        options.coop,
        principalId,
        parsed.lines,
        head,
      ));
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
      const next = await appendBatch(store, options.coop, principalId, batch, head);
      if (next === null) {
        // The service (or another import) appended in between: decide the rest again on the new head.
        conflicts++;
        if (conflicts > IMPORT_CONFLICT_RETRIES_MAX) {
          throw new CliError(
            "the ledger keeps changing under the import; try again later",
            EXIT_VERIFICATION_FAILED,
          );
        }
        head = await loadHead(store, options.coop);
        try {
          const again = await decideLines(
            store,
            options.coop,
            principalId,
            pending.map((item) => item.line),
            head,
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
      head = next;
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
