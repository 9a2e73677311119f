import {
  type EncodedEventRow,
  type EventStore,
  RAW_SHAPE,
  SqliteEventStore,
  type StoredEvent,
} from "@bukubesar/event-store";
import { applyLedgerEvent, emptyReadModel, type LedgerReadModel } from "@bukubesar/projections";
import { type HashMismatch, StoredChainHashCheck } from "./chainHashCheck.js";
import type { CheckpointHead } from "./checkpoint.js";
import {
  hashMismatchText,
  type LedgerVerdict,
  LedgerVerifier,
  type VerifiableEvent,
} from "./ledgerVerifier.js";
import { compareModelWithLog, toRecordedLedgerEvent } from "./projectionComparison.js";
import {
  LEDGER_STREAM_PREFIX,
  ledgerStreamOf,
  READ_PAGE_SIZE,
  readAllPages,
  readStreamPages,
} from "./storeAccess.js";
import { type FoldPage, FoldWorker } from "./verifyFoldProtocol.js";
import { jsonTextIsWellFormed } from "./wellFormed.js";

/** The outcome for one cooperative's ledger. */
export type LedgerReport =
  | {
      readonly ok: true;
      readonly coopId: string;
      readonly streamId: string;
      readonly events: number;
      readonly headRevision: number;
      readonly headHash: string;
      readonly postedEntries: number;
    }
  | {
      readonly ok: false;
      readonly coopId: string;
      readonly streamId: string;
      readonly firstBadRevision: number;
      readonly reason: string;
    };

export const coopIdOfStream = (streamId: string): string =>
  streamId.startsWith(LEDGER_STREAM_PREFIX) ? streamId.slice(LEDGER_STREAM_PREFIX.length) : streamId;

/**
 * Lets go of what the projections' model keeps per entry for the other reports (the posted entries with
 * their lines, the reversal links and reasons): verify compares only its trial balance at the end of
 * time, which reads the accounts' daily totals and nothing else. Kept, every entry's parsed lines stayed
 * alive to the end, so verify's memory grew with the history and the collector traced them over and over.
 */
const forgetEntries = (model: LedgerReadModel): void => {
  if (model.entries.length > 0) model.entries.length = 0;
  if (model.reversedBy.size > 0) model.reversedBy.clear();
  if (model.reversalReasons.size > 0) model.reversalReasons.clear();
};

/**
 * Verifies one ledger stream completely, event by event as they are read: the chain and invariants
 * (LedgerVerifier), the checkpoint's head when one is given, then the projections' trial balance against
 * the verifier's own fold. The projections' model is built alongside from the events the verifier
 * accepted, so no list of the stream's events is ever kept, and the model lets go of each entry once its
 * lines are in the totals: memory is the two folds' balances and the entry ids, not the history.
 */
export class StreamVerification {
  private readonly verifier: LedgerVerifier;
  private readonly model: LedgerReadModel;
  /** A throw of the projections on an accepted event, raised again if the log itself verifies. */
  private modelError: { readonly error: unknown } | null = null;

  constructor(
    readonly streamId: string,
    private readonly checkpointHead: CheckpointHead | null,
    private readonly checkpointTime: string | null,
    /** True when a worker recomputes the hashes; its first mismatch is then given to `finish`. */
    hashesCheckedElsewhere = false,
    /** The stream's length when known, which sizes the verifier's table of entries. */
    expectedEvents = 0,
  ) {
    this.verifier = new LedgerVerifier(streamId, hashesCheckedElsewhere, expectedEvents);
    if (checkpointHead !== null) this.verifier.watch(checkpointHead.revision);
    this.model = emptyReadModel(coopIdOfStream(streamId));
  }

  /** True once the log itself has failed a check: later events of the stream are not looked at. */
  get failed(): boolean {
    return this.verifier.failed;
  }

  accept(event: StoredEvent & Pick<VerifiableEvent, "stringsWellFormed">): void {
    if (this.verifier.failed) return;
    this.verifier.accept(event);
    if (this.verifier.failed || this.modelError !== null) return;
    try {
      applyLedgerEvent(this.model, toRecordedLedgerEvent(event));
      forgetEntries(this.model);
    } catch (error) {
      this.modelError = { error };
    }
  }

  /**
   * The objects kept that grow with the length of the stream (see LedgerVerifier.heldObjects and
   * forgetEntries): constant for a stream of canonical entry ids, however long, which a test checks.
   */
  get heldObjects(): number {
    return (
      this.verifier.heldObjects +
      this.model.entries.length +
      this.model.reversedBy.size +
      this.model.reversalReasons.size
    );
  }

  /** Whether the chain still passes through the head the checkpoint signed: not truncated, not rewritten. */
  private checkpointProblem(
    checkpointHead: CheckpointHead,
    verdict: LedgerVerdict & { readonly ok: true },
  ): { readonly firstBadRevision: number; readonly reason: string } | null {
    const when = this.checkpointTime === null ? "" : ` of ${this.checkpointTime}`;
    if (verdict.headRevision < checkpointHead.revision) {
      return {
        firstBadRevision: verdict.headRevision + 1,
        reason: `the chain ends at revision ${verdict.headRevision} but the checkpoint${when} records revision ${checkpointHead.revision} with hash ${checkpointHead.headHash}: the tail was truncated or rolled back`,
      };
    }
    const hashThen = this.verifier.hashAt(checkpointHead.revision);
    if (hashThen === checkpointHead.headHash) return null;
    return {
      firstBadRevision: checkpointHead.revision,
      reason: `the hash at revision ${checkpointHead.revision} is ${hashThen ?? "missing"} but the checkpoint${when} records ${checkpointHead.headHash}: history up to that revision was rewritten`,
    };
  }

  finish(hashMismatch: HashMismatch | null = null): LedgerReport {
    const { streamId, checkpointHead } = this;
    const coopId = coopIdOfStream(streamId);
    if (hashMismatch !== null && !this.verifier.problemComesFirst(hashMismatch.revision)) {
      return {
        ok: false,
        coopId,
        streamId,
        firstBadRevision: hashMismatch.revision,
        reason:
          hashMismatch.recomputed === null
            ? `the event cannot be canonicalised: ${hashMismatch.error ?? "unknown reason"}`
            : hashMismatchText(hashMismatch.stored, hashMismatch.recomputed),
      };
    }
    const verdict: LedgerVerdict = this.verifier.finish();
    if (!verdict.ok) {
      return { ok: false, coopId, streamId, firstBadRevision: verdict.revision, reason: verdict.reason };
    }
    const checkpointProblem =
      checkpointHead === null ? null : this.checkpointProblem(checkpointHead, verdict);
    if (checkpointProblem !== null) return { ok: false, coopId, streamId, ...checkpointProblem };
    if (this.modelError !== null) throw this.modelError.error;
    const disagreement = compareModelWithLog(this.model, verdict.accounts);
    if (disagreement !== null) {
      return {
        ok: false,
        coopId,
        streamId,
        firstBadRevision: verdict.headRevision,
        reason: `the projections disagree with the log: ${disagreement}`,
      };
    }
    return {
      ok: true,
      coopId,
      streamId,
      events: verdict.events,
      headRevision: verdict.headRevision,
      headHash: verdict.headHash,
      postedEntries: verdict.postedEntries,
    };
  }
}

/**
 * Reads every ledger stream (or one cooperative's) page by page and verifies each as it goes; returns
 * the report of each stream found, by stream id in sorted order. Only a few pages of events are held at
 * a time. A SQLite store is read once, as its stored texts, and verified on two threads
 * (verifyEncodedLedgers); any other store on this one.
 */
export const verifyStoredLedgers = async (
  store: EventStore,
  coopId: string | null,
  checkpointHeads: ReadonlyMap<string, CheckpointHead> | null,
  checkpointTime: string | null,
): Promise<Map<string, LedgerReport>> => {
  if (store instanceof SqliteEventStore)
    return verifyEncodedLedgers(store, coopId, checkpointHeads, checkpointTime);
  const verifications = new Map<string, StreamVerification>();
  const upToPosition = await store.headPosition();
  const pages =
    coopId === null
      ? readAllPages(store, LEDGER_STREAM_PREFIX)
      : readStreamPages(store, ledgerStreamOf(coopId));
  for await (const page of pages) {
    for (const event of page) {
      if (event.position > upToPosition) continue;
      let verification = verifications.get(event.streamId);
      if (verification === undefined) {
        verification = new StreamVerification(
          event.streamId,
          checkpointHeads?.get(event.streamId) ?? null,
          checkpointTime,
        );
        verifications.set(event.streamId, verification);
      }
      verification.accept(event);
    }
  }
  const reports = new Map<string, LedgerReport>();
  for (const streamId of [...verifications.keys()].sort((left, right) => (left < right ? -1 : 1))) {
    reports.set(streamId, (verifications.get(streamId) as StreamVerification).finish());
  }
  return reports;
};

/** Every ledger event's stored row, in global order, a page at a time. */
const encodedPages = function* (store: SqliteEventStore): Generator<EncodedEventRow[]> {
  let after = -1n;
  for (;;) {
    const rows = store.readEncodedAll(after, LEDGER_STREAM_PREFIX, READ_PAGE_SIZE);
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < READ_PAGE_SIZE) return;
    after = BigInt(last[0]);
  }
};

/** One stream's stored rows in revision order, a page at a time. */
const encodedStreamPages = function* (
  store: SqliteEventStore,
  streamId: string,
): Generator<EncodedEventRow[]> {
  let fromRevision = 0;
  for (;;) {
    const rows = store.readEncodedStream(streamId, fromRevision, READ_PAGE_SIZE);
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < READ_PAGE_SIZE) return;
    fromRevision = last[2] + 1;
  }
};

const emptyFoldPage = (): FoldPage => ({
  streams: [],
  streamLengths: [],
  streamOf: [],
  types: [],
  typeOf: [],
  revisions: [],
  dataShapes: [],
  data: [],
  metadataShapes: [],
  metadata: [],
  prevHashes: [],
  hashes: [],
  shapes: [],
});

/** The index of `name` in `names`, added if new, through `indexes` (the page's own map of them). */
const indexIn = (names: string[], indexes: Map<string, number>, name: string): number => {
  let index = indexes.get(name);
  if (index === undefined) {
    index = names.length;
    names.push(name);
    indexes.set(name, index);
  }
  return index;
};

/**
 * Pages for the fold worker from stored rows: each row's columns as stored, and each shape the first
 * time a row names it, so the worker decodes the values itself (verifyFoldWorker.ts). A row's metadata
 * is left out when the fold needs none of it (FoldPage.metadata): the worker's decoding of it was a
 * third of its parsing, and its text a third of what crossed between the threads.
 */
class FoldPages {
  private readonly sentShapes = new Set<number>([RAW_SHAPE]);
  /** Whether each shape's own text (its keys) is well-formed, as the worker judges it. */
  private readonly shapeKeysWellFormed = new Map<number, boolean>([[RAW_SHAPE, true]]);
  private readonly measuredStreams = new Set<string>();
  private streamIndexes = new Map<string, number>();
  private typeIndexes = new Map<string, number>();
  page = emptyFoldPage();

  constructor(private readonly store: SqliteEventStore) {}

  add(row: EncodedEventRow): void {
    const { page } = this;
    page.streamOf.push(indexIn(page.streams, this.streamIndexes, row[1]));
    page.typeOf.push(indexIn(page.types, this.typeIndexes, row[3]));
    page.revisions.push(row[2]);
    page.dataShapes.push(this.shape(row[8]));
    page.data.push(row[4]);
    const metadataNeeded = row[6] === null || row[7] === null || !this.wellFormed(row[9], row[5]);
    page.metadataShapes.push(metadataNeeded ? this.shape(row[9]) : RAW_SHAPE);
    page.metadata.push(metadataNeeded ? row[5] : null);
    page.prevHashes.push(row[6]);
    page.hashes.push(row[7]);
  }

  /**
   * The page so far, and a new one begun, with the length of each stream the page is the first to
   * name (the fold thread sizes that stream's table of entries by it).
   */
  async take(): Promise<FoldPage> {
    for (const streamId of this.page.streams) {
      if (this.measuredStreams.has(streamId)) continue;
      this.measuredStreams.add(streamId);
      const revision = await this.store.streamRevision(streamId);
      this.page.streamLengths.push([streamId, revision === "no_stream" ? 0 : revision + 1]);
    }
    const page = this.page;
    this.page = emptyFoldPage();
    this.streamIndexes = new Map();
    this.typeIndexes = new Map();
    return page;
  }

  /** Whether a stored column's texts prove every string JSON.parse makes of it well-formed. */
  private wellFormed(shapeId: number, stored: string): boolean {
    let keys = this.shapeKeysWellFormed.get(shapeId);
    if (keys === undefined) {
      const text = this.store.shapeText(shapeId);
      keys = text !== undefined && jsonTextIsWellFormed(text);
      this.shapeKeysWellFormed.set(shapeId, keys);
    }
    return keys && jsonTextIsWellFormed(stored);
  }

  private shape(shapeId: number): number {
    if (!this.sentShapes.has(shapeId)) {
      this.sentShapes.add(shapeId);
      this.page.shapes.push([shapeId, this.store.shapeText(shapeId) ?? null]);
    }
    return shapeId;
  }
}

/**
 * `verify` on SQLite: this thread reads each row once, as stored, and recomputes its chain hash from the
 * canonical texts the columns give back without parsing them (StoredChainHashCheck); the same rows go, as
 * stored, a page at a time, to a second thread that decodes them and runs every other check and fold
 * (verifyFoldWorker.ts). Both cover the events up to the head as it is when verify begins, so an append
 * meanwhile is left out.
 */
const verifyEncodedLedgers = async (
  store: SqliteEventStore,
  coopId: string | null,
  checkpointHeads: ReadonlyMap<string, CheckpointHead> | null,
  checkpointTime: string | null,
): Promise<Map<string, LedgerReport>> => {
  // A number, as the rows' positions are: comparing each with a bigint cost a runtime call per row.
  const upToPosition = Number(await store.headPosition());
  const hashes = new StoredChainHashCheck();
  const folds = new FoldPages(store);
  // One record the hash check reads, filled for each row in turn.
  const hashed = { streamId: "", revision: 0, type: "", data: "", metadata: "", hash: null as string | null };
  const worker = new FoldWorker({ checkpointHeads: [...(checkpointHeads?.values() ?? [])], checkpointTime });
  try {
    const pages = coopId === null ? encodedPages(store) : encodedStreamPages(store, ledgerStreamOf(coopId));
    for (const rows of pages) {
      for (const row of rows) {
        if (row[0] > upToPosition) continue;
        hashed.streamId = row[1];
        hashed.revision = row[2];
        hashed.type = row[3];
        hashed.data = store.canonicalText(row[8], row[4]);
        hashed.metadata = store.canonicalText(row[9], row[5]);
        hashed.hash = row[7];
        hashes.accept(hashed);
        folds.add(row);
      }
      if (folds.page.revisions.length > 0) await worker.send(await folds.take());
    }
    const reports = await worker.finish([...hashes.mismatches.values()]);
    return new Map(reports.map((report) => [report.streamId, report]));
  } finally {
    await worker.close();
  }
};
