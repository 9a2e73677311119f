import { auditStreamId } from "@bukubesar/alerts";
import type { EventStore, ReadModelSnapshotTable, StoredEvent } from "@bukubesar/event-store";
import { readAllPaged, SCAN_PAGE_SIZE } from "@bukubesar/event-store";
import { ledgerStreamId } from "@bukubesar/ledger-core";
import type { SupervisionOptions, SupervisionState } from "@bukubesar/supervision";
import { createSupervisionState, runRules } from "@bukubesar/supervision";
import type { LoadedRuleSnapshot, RuleSnapshotPosition } from "./ruleSnapshot.js";
import { loadRuleSnapshot } from "./ruleSnapshot.js";
import { RuleSnapshotWriter } from "./ruleSnapshotWriter.js";
import { supervisedEventOf } from "./supervisedEventOf.js";
import { isSupervisedStream } from "./supervisorProgress.js";

const NOTHING = -1n;
/** No stream prefix: the whole log. */
const ALL_STREAMS = undefined;

/** How a start rebuilt the rule state. */
export interface SupervisorStart {
  /** The position of the rule-state snapshot it loaded, null when it replayed the log from its start. */
  readonly snapshotPosition: bigint | null;
  /** How many ledger and audit events it replayed (after the snapshot, or all of them). */
  readonly replayedEvents: number;
}

/** The rule state at the checkpoint, and what keeps its snapshots. */
export interface RebuiltRuleState {
  readonly state: SupervisionState;
  /** Every ledger and audit event up to here is judged and its alerts recorded. */
  readonly checkpoint: bigint;
  /** The last event the state includes (null: none). */
  readonly lastJudged: RuleSnapshotPosition | null;
  /** Null when the store keeps no snapshots. */
  readonly writer: RuleSnapshotWriter | null;
  readonly start: SupervisorStart;
}

interface ReplayedTail {
  readonly count: number;
  readonly last: RuleSnapshotPosition | null;
  readonly touched: ReadonlySet<string>;
}

/** Judges one ledger or audit event as the supervisor does, recording nothing; returns its cooperative. */
const judge = (state: SupervisionState, event: StoredEvent): string => {
  const supervised = supervisedEventOf(event);
  runRules(state, supervised);
  return supervised.coopId;
};

/** Judges the ledger and audit events after `after` through `through` without recording anything. */
const replayTail = async (
  store: EventStore,
  state: SupervisionState,
  after: bigint,
  through: bigint,
): Promise<ReplayedTail> => {
  const touched = new Set<string>();
  let count = 0;
  let last: RuleSnapshotPosition | null = null;
  if (through <= after) return { count, last, touched };
  for await (const event of readAllPaged(
    store,
    ALL_STREAMS,
    after === NOTHING ? undefined : after,
    through,
  )) {
    if (!isSupervisedStream(event.streamId)) continue;
    touched.add(judge(state, event));
    count += 1;
    last = { position: event.position, eventId: event.eventId };
  }
  return { count, last, touched };
};

const loadOrRefuse = async (
  table: ReadModelSnapshotTable | null,
  store: EventStore,
  state: SupervisionState,
): Promise<LoadedRuleSnapshot> => {
  if (table === null) return { kind: "none" };
  try {
    return await loadRuleSnapshot(table, store, state);
  } catch (error) {
    state.cooperatives.clear();
    return {
      kind: "refused",
      refusal: "damaged",
      reason: `it cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
};

/**
 * The rule state at the checkpoint: the stored snapshot when there is a usable one, then the events after
 * it; otherwise the whole log up to the checkpoint. A snapshot that cannot be used is reported through
 * `warn` and the log is replayed from its start, so a damaged snapshot costs time, never an alert.
 */
export const rebuildRuleState = async (
  store: EventStore,
  table: ReadModelSnapshotTable | null,
  supervision: SupervisionOptions | undefined,
  checkpoint: bigint,
  warn: (message: string) => void,
): Promise<RebuiltRuleState> => {
  const state = createSupervisionState(supervision);
  const loaded = await loadOrRefuse(table, store, state);
  if (loaded.kind === "refused")
    warn(
      `the rule-state snapshot is not used (${loaded.reason}); the rule state is rebuilt from the whole log`,
    );
  const from = loaded.kind === "loaded" ? loaded.at : null;
  // A snapshot is only taken when every event up to its position is judged and its alerts recorded, so
  // it moves the checkpoint forward when the progress marker after it was not recorded (a crash).
  const through = from !== null && from.position > checkpoint ? from.position : checkpoint;
  const tail = await replayTail(store, state, from?.position ?? NOTHING, through);
  const writer =
    table === null
      ? null
      : new RuleSnapshotWriter(
          table,
          state,
          loaded.kind === "loaded" ? loaded.parts : new Map(),
          from?.position ?? NOTHING,
        );
  for (const coopId of tail.touched) writer?.beforeChange(coopId);
  return {
    state,
    checkpoint: through,
    lastJudged: tail.last ?? from,
    writer,
    start: { snapshotPosition: from?.position ?? null, replayedEvents: tail.count },
  };
};

/** One stream's events up to global position `through`, page by page, in order. */
const streamThrough = async function* (
  store: EventStore,
  streamId: string,
  through: bigint,
): AsyncGenerator<StoredEvent> {
  let fromRevision = 0;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision, limit: SCAN_PAGE_SIZE });
    for (const event of page) {
      if (event.position > through) return;
      yield event;
    }
    const last = page.at(-1);
    if (last === undefined || page.length < SCAN_PAGE_SIZE) return;
    fromRevision = last.revision + 1;
  }
};

/** The events of two streams merged in log order (each stream is in log order already). */
const inLogOrder = async function* (
  left: AsyncIterator<StoredEvent>,
  right: AsyncIterator<StoredEvent>,
): AsyncGenerator<StoredEvent> {
  let fromLeft = await left.next();
  let fromRight = await right.next();
  while (fromLeft.done !== true || fromRight.done !== true) {
    if (
      fromRight.done === true ||
      (fromLeft.done !== true && fromLeft.value.position < fromRight.value.position)
    ) {
      yield fromLeft.value as StoredEvent;
      fromLeft = await left.next();
    } else {
      yield fromRight.value;
      fromRight = await right.next();
    }
  }
};

/**
 * One cooperative's rule state from the log alone, up to global position `through`, into `state` (which
 * must hold nothing of that cooperative): its ledger and audit events in log order, judged as the
 * supervisor judges them, recording nothing. A cooperative's state depends on its own events only, so
 * `bukubesar verify` rebuilds one cooperative at a time and holds one cooperative's state at a time.
 * Returns how many events it judged (0: the state holds nothing of the cooperative).
 */
export const rebuildCooperativeRuleState = async (
  store: EventStore,
  state: SupervisionState,
  coopId: string,
  through: bigint,
): Promise<number> => {
  let judged = 0;
  const events = inLogOrder(
    streamThrough(store, ledgerStreamId(coopId), through),
    streamThrough(store, auditStreamId(coopId), through),
  );
  for await (const event of events) {
    judge(state, event);
    judged += 1;
  }
  return judged;
};
