import { randomUUID } from "node:crypto";
import type { AlertRaisedData } from "@bukubesar/alerts";
import {
  ALERT_RAISED,
  ALERTS_STREAM_PREFIX,
  AUDIT_STREAM_PREFIX,
  alertOf,
  alertsStreamId,
} from "@bukubesar/alerts";
import type { AlertBus, BusStreamState } from "@bukubesar/bus";
import { settlesWithin } from "@bukubesar/bus";
import type {
  EventStore,
  NewEvent,
  ReadModelSnapshotTable,
  StoredEvent,
  Subscription,
} from "@bukubesar/event-store";
import {
  appendChained,
  isStoreFailureOf,
  readAllPaged,
  readModelSnapshotTableFor,
} from "@bukubesar/event-store";
import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";
import type { Alert, SupervisionOptions, SupervisionState } from "@bukubesar/supervision";
import { runClockTick, runRules } from "@bukubesar/supervision";
import type { AcknowledgedMessage } from "./alertOutbox.js";
import { AlertOutbox } from "./alertOutbox.js";
import type { RebuiltRuleState, SupervisorStart } from "./rebuildRuleState.js";
import { rebuildRuleState } from "./rebuildRuleState.js";
import type { RuleSnapshotPosition } from "./ruleSnapshot.js";
import type { RuleSnapshotWriter } from "./ruleSnapshotWriter.js";
import { positionStillInStream, recordedAlertSource } from "./streamRepair.js";
import { supervisedEventOf } from "./supervisedEventOf.js";
import type { ProgressStream, SupervisorProgressData } from "./supervisorProgress.js";
import { isSupervisedStream, SUPERVISOR_PROGRESS, SUPERVISOR_PROGRESS_STREAM } from "./supervisorProgress.js";

/** How often the dormant-cooperative rule is judged. */
export const DEFAULT_TICK_INTERVAL_MS = 3_600_000;
/** How often progress (rules checkpoint, outbox watermark) is recorded when it has moved. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 1_000;
/**
 * How often a rule-state snapshot is written when the state has moved: a restart then judges again at
 * most this long's worth of events (at 1,000 events/s, 30,000 events: well under a second).
 */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 30_000;
/** Pause before recording alerts again after the store refused (it is unavailable for a moment). */
export const RECORD_RETRY_MS = 250;
/** How long a graceful stop waits for the outbox to drain; what is left is republished at the next start. */
export const STOP_DRAIN_MS = 2_000;
/**
 * How long a graceful stop waits for the last rule-state snapshot; a stop never waits longer for it (the
 * next start replays from the previous snapshot instead).
 */
export const STOP_SNAPSHOT_MS = 2_000;
/**
 * How often the broker's stream is checked for lost alerts (recreated, or its last sequence below one it
 * acknowledged): after all its nodes crash together with unsynced writes, docs/reliability.md #26.
 */
export const DEFAULT_STREAM_CHECK_INTERVAL_MS = 2_000;
/**
 * Pause before a check of the stream that could not judge it (the broker away, or a restarting cluster that
 * cannot say yet) runs again, until one judges, whatever started it (the start, the periodic check, or a
 * loss the outbox noticed, which is kept until a check handles it). Well below the bus's
 * STREAM_MISSING_GAP_MAXIMUM_MS, so a cluster whose nodes all lost their data is asked often enough for the
 * bus to create its stream again even with the periodic check off, when every publish fails and no
 * acknowledgement can show the loss.
 */
export const UNJUDGED_CHECK_RETRY_MS = 500;

export interface Clock {
  now(): Date;
}

export interface SupervisorOptions {
  readonly store: EventStore;
  readonly bus: AlertBus;
  readonly clock?: Clock;
  /** Ids for the supervisor's own progress events. */
  readonly newId?: () => string;
  readonly supervision?: SupervisionOptions;
  /** 0 disables the periodic clock tick (tests call `tick`). */
  readonly tickIntervalMs?: number;
  readonly progressIntervalMs?: number;
  /**
   * 0 disables the periodic check of the broker's stream (DEFAULT_STREAM_CHECK_INTERVAL_MS). The start
   * still checks it, again and again until a check judges it (UNJUDGED_CHECK_RETRY_MS), and a loss the
   * outbox notices from an acknowledgement is still checked.
   */
  readonly streamCheckIntervalMs?: number;
  /**
   * Where rule-state snapshots are kept: by default the store's own snapshot table (the same database as
   * the events); null keeps none, and every start replays the whole log.
   */
  readonly ruleSnapshots?: ReadModelSnapshotTable | null;
  /** 0 writes a rule-state snapshot only at a graceful stop (DEFAULT_SNAPSHOT_INTERVAL_MS). */
  readonly snapshotIntervalMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Told of what costs time but loses nothing (a rule-state snapshot that cannot be used). */
  readonly onWarning?: (message: string) => void;
}

export interface Supervisor {
  /** Every ledger and audit event at or before this position has been judged and its alerts recorded (-1n: none). */
  processedThrough(): bigint;
  /** Alerts recorded but not yet confirmed published. */
  pendingPublications(): number;
  /** How this start rebuilt the rule state (from a snapshot or the whole log). */
  readonly start: SupervisorStart;
  /** Resolves when every ledger event now in the store is judged and every alert published. */
  idle(timeoutMs?: number): Promise<void>;
  /** Runs the time-driven rules now (or at `now`) and records what they raise. */
  tick(now?: Date): Promise<readonly Alert[]>;
  /**
   * Writes a rule-state snapshot of what is judged so far: true once saved, false when there is nothing
   * new to save, no snapshot table, or a judgement under way (the snapshot is then written after it).
   */
  snapshot(): Promise<boolean>;
  /**
   * Stops following the log, records progress, stops the outbox, writes a last rule-state snapshot
   * (waiting STOP_SNAPSHOT_MS at most). The bus stays open (its owner closes it).
   */
  stop(): Promise<void>;
  /** Stops at once without recording progress: a crash, for tests. */
  abort(): Promise<void>;
}

const NOTHING = -1n;

interface Progress {
  processedThrough: bigint;
  publishedThrough: bigint;
  stream: ProgressStream | null;
}

const sameProgress = (left: Progress, right: Progress): boolean =>
  left.processedThrough === right.processedThrough &&
  left.publishedThrough === right.publishedThrough &&
  left.stream?.created === right.stream?.created &&
  left.stream?.lastSequence === right.stream?.lastSequence;

/** The principal the supervisor records its own alerts as. */
const SUPERVISOR_PRINCIPAL = "supervisor";

/** An AlertRaised that another process (the API) recorded: the supervisor publishes it, it never judges it. */
const isRecordedElsewhere = (event: StoredEvent): boolean =>
  event.streamId.startsWith(ALERTS_STREAM_PREFIX) &&
  event.type === ALERT_RAISED &&
  (event.metadata as { principalId?: unknown } | null)?.principalId !== SUPERVISOR_PRINCIPAL;

const lastRecordedProgress = async (store: EventStore): Promise<Progress> => {
  const [last] = await store
    .readStream(SUPERVISOR_PROGRESS_STREAM, { direction: "backwards", limit: 1 })
    .catch(() => []);
  if (last === undefined) return { processedThrough: NOTHING, publishedThrough: NOTHING, stream: null };
  const data = last.data as SupervisorProgressData;
  return {
    processedThrough: BigInt(data.processedThrough),
    publishedThrough: BigInt(data.publishedThrough),
    stream: data.stream ?? null,
  };
};

interface RecordedAlerts {
  /** The largest triggerPosition among recorded alerts, or the marker's processedThrough when larger. */
  readonly checkpoint: bigint;
}

const scanRecordedAlerts = async (store: EventStore, recorded: Progress): Promise<RecordedAlerts> => {
  let checkpoint = recorded.processedThrough;
  for await (const event of readAllPaged(store, ALERTS_STREAM_PREFIX)) {
    if (event.type !== ALERT_RAISED) continue;
    const data = event.data as AlertRaisedData;
    if (data.triggerPosition !== null && BigInt(data.triggerPosition) > checkpoint)
      checkpoint = BigInt(data.triggerPosition);
  }
  return { checkpoint };
};

const sleep = (milliseconds: number): Promise<void> => {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
};

/** An interval timer that does not keep the process alive, or null when the interval is 0. */
const every = (milliseconds: number, run: () => void): NodeJS.Timeout | null => {
  if (milliseconds <= 0) return null;
  const timer = setInterval(run, milliseconds);
  timer.unref();
  return timer;
};

/** The AlertRaised event recording `alert` (event id = alert id), raised by `trigger` (null: a clock tick). */
const alertEventOf = (alert: Alert, trigger: StoredEvent | null): NewEvent => {
  return {
    eventId: alert.alertId,
    type: ALERT_RAISED,
    data: {
      ...alert,
      triggerPosition: trigger === null ? null : trigger.position.toString(),
      triggerEventId: trigger?.eventId ?? null,
    } satisfies AlertRaisedData,
    metadata: { principalId: SUPERVISOR_PRINCIPAL, role: "system", recordedAt: alert.raisedAt },
  };
};

/**
 * The supervisor: follows the ledger streams (`ledger-<coopId>`) and the audit streams (`audit-<coopId>`,
 * refusals recorded by the API) of the global log, runs the rules, records each alert as an
 * `AlertRaised` event (event id = alert id) in `alerts-<coopId>`, then publishes it through an outbox.
 *
 * Where it resumes is derived from the store alone: the larger of the last `SupervisorProgress` marker's
 * `processedThrough`, the largest `triggerPosition` among recorded alerts (alerts of one ledger event
 * are recorded in one atomic append, and events are judged in order, so every event up to that position
 * is done) and the position of the rule-state snapshot (taken only when every event up to it is done).
 * The rule state is the snapshot's plus the events after it up to the checkpoint, judged again without
 * recording (without a usable snapshot: the whole log up to the checkpoint).
 * The outbox resumes from the marker's `publishedThrough`: alerts recorded after it are published again,
 * read from the store a page at a time; JetStream's duplicate window and the subscribers' dedupe by id
 * drop what was already delivered.
 */
export const startSupervisor = async (options: SupervisorOptions): Promise<Supervisor> => {
  const { store } = options;
  const recorded = await lastRecordedProgress(store);
  const alerts = await scanRecordedAlerts(store, recorded);
  const table =
    options.ruleSnapshots === undefined ? readModelSnapshotTableFor(store) : options.ruleSnapshots;
  const warn = options.onWarning ?? ((message: string) => console.warn(`supervisor: ${message}`));
  const rebuilt = await rebuildRuleState(store, table, options.supervision, alerts.checkpoint, warn);
  const supervisor = new RunningSupervisor(options, recorded, rebuilt);
  supervisor.outbox.republishAfter(recorded.publishedThrough);
  // While the broker is away the check fails; the outbox already retries and reports that.
  await supervisor.republishIfStreamLost().catch(() => undefined);
  supervisor.follow();
  return supervisor;
};

class RunningSupervisor implements Supervisor {
  readonly outbox: AlertOutbox;
  readonly start: SupervisorStart;
  private readonly store: EventStore;
  private readonly bus: AlertBus;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly onError: (error: unknown) => void;
  private readonly state: SupervisionState;
  private readonly snapshots: RuleSnapshotWriter | null;
  private knownStream: BusStreamState | null;
  private republishing = false;
  /** The pending run of a check that could not judge the stream, until it runs. */
  private checkRetry: NodeJS.Timeout | null = null;
  /** The sequence through which the outbox saw the stream survive a loss, until a check handles it. */
  private lossNoticed: number | null = null;
  /** The acknowledged message of the last progress marker, until the outbox has one of its own. */
  private recordedAcknowledged: AcknowledgedMessage | null;
  private judgedThrough: bigint;
  private lastJudged: RuleSnapshotPosition | null;
  private stopping = false;
  private lastProgress: Progress;
  /** Judgements (an event or a tick) that changed the state and have not recorded their alerts yet. */
  private judging = 0;
  /** A snapshot was asked for while a judgement was under way: written when it ends. */
  private snapshotDue = false;
  /** False once a judgement failed halfway: the state may hold an event that is not judged, never saved. */
  private consistent = true;
  private subscription: Subscription | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly options: SupervisorOptions;

  constructor(options: SupervisorOptions, recorded: Progress, rebuilt: RebuiltRuleState) {
    this.store = options.store;
    this.bus = options.bus;
    this.clock = options.clock ?? { now: () => new Date() };
    this.newId = options.newId ?? randomUUID;
    this.onError = options.onError ?? ((error: unknown) => console.error("supervisor:", error));
    this.state = rebuilt.state;
    this.snapshots = rebuilt.writer;
    this.start = rebuilt.start;
    this.judgedThrough = rebuilt.checkpoint;
    this.lastJudged = rebuilt.lastJudged;
    this.knownStream = recorded.stream;
    this.recordedAcknowledged = recorded.stream?.acknowledged ?? null;
    this.lastProgress = { ...recorded };
    this.outbox = new AlertOutbox(this.bus, recorded.publishedThrough, {
      source: recordedAlertSource(this.store),
      onStreamLoss: (survivedThrough) => {
        this.lossNoticed = Math.min(this.lossNoticed ?? survivedThrough, survivedThrough);
        this.republishIfStreamLost().catch(() => undefined);
      },
    });
    this.options = options;
  }

  processedThrough(): bigint {
    return this.judgedThrough;
  }

  pendingPublications(): number {
    return this.outbox.pending;
  }

  /**
   * Follows the log and starts the timers. One subscription to the whole log, filtered here, so ledger
   * and audit events are judged in their one global order from one checkpoint (two subscriptions would
   * each need their own and could interleave). The supervisor's own alerts and progress markers pass by
   * without moving the checkpoint, so recording progress never makes more progress to record.
   */
  follow(): void {
    const after = this.judgedThrough > NOTHING ? { after: this.judgedThrough } : {};
    this.subscription = this.store.subscribeToAll(after, (event) => this.onLogEvent(event));
    const options = this.options;
    const timers = [
      every(options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS, () => {
        this.recordProgress().catch(this.onError);
      }),
      every(options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS, () => {
        this.tick().catch(this.onError);
      }),
      every(options.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS, () => {
        this.requestSnapshot().catch(this.onError);
      }),
      this.bus.streamState === undefined
        ? null
        : every(options.streamCheckIntervalMs ?? DEFAULT_STREAM_CHECK_INTERVAL_MS, () => {
            this.republishIfStreamLost().catch(() => undefined);
          }),
    ];
    for (const timer of timers) if (timer !== null) this.timers.push(timer);
  }

  private async onLogEvent(event: StoredEvent): Promise<void> {
    if (this.stopping) return;
    if (isRecordedElsewhere(event)) {
      // An alert the API recorded itself (a broken hash chain, a damaged snapshot, a service alert):
      // published now, not only when a supervisor next starts and finds it past its watermark.
      this.outbox.enqueue(alertOf(event.data as AlertRaisedData), event.position);
      return;
    }
    if (!isSupervisedStream(event.streamId)) return;
    const supervised = supervisedEventOf(event);
    await this.underJudgement(async () => {
      this.snapshots?.beforeChange(supervised.coopId);
      const result = runRules(this.state, supervised);
      if (result.alerts.length > 0) await this.record(supervised.coopId, result.alerts, event);
      this.judgedThrough = event.position;
      this.lastJudged = { position: event.position, eventId: event.eventId };
    });
  }

  /**
   * Runs a judgement that changes the state and records its alerts. A snapshot is never taken while one
   * is under way (the state would hold an event whose alerts are not recorded yet); one that fails halfway
   * leaves the state ahead of the checkpoint, so no snapshot is taken again in this process.
   */
  private async underJudgement(judge: () => Promise<void>): Promise<void> {
    this.judging += 1;
    try {
      await judge();
    } catch (error) {
      this.consistent = false;
      throw error;
    } finally {
      this.judging -= 1;
    }
    if (this.snapshotDue && this.judging === 0) this.requestSnapshot().catch(this.onError);
  }

  /** Starts a snapshot of the state as judged so far (see `Supervisor.snapshot`). */
  private requestSnapshot(): Promise<boolean> {
    if (this.snapshots === null || !this.consistent || this.lastJudged === null)
      return Promise.resolve(false);
    if (this.judging > 0) {
      this.snapshotDue = true;
      return Promise.resolve(false);
    }
    this.snapshotDue = false;
    return this.snapshots.write(this.lastJudged);
  }

  async snapshot(): Promise<boolean> {
    await this.snapshots?.settled();
    return this.requestSnapshot();
  }

  async tick(now: Date = this.clock.now()): Promise<readonly Alert[]> {
    let alerts: readonly Alert[] = [];
    await this.underJudgement(async () => {
      this.snapshots?.beforeChangeAll();
      alerts = runClockTick(this.state, { now: now.toISOString() }).alerts;
      const byCoop = new Map<string, Alert[]>();
      for (const alert of alerts) byCoop.set(alert.coopId, [...(byCoop.get(alert.coopId) ?? []), alert]);
      for (const [coopId, raised] of byCoop) await this.record(coopId, raised, null);
    });
    return alerts;
  }

  /** Records the alerts of one judgement (retrying while the store refuses) and publishes them. */
  private async record(coopId: string, alerts: readonly Alert[], trigger: StoredEvent | null): Promise<void> {
    const events = alerts.map((alert) => alertEventOf(alert, trigger));
    for (;;) {
      try {
        if (await this.appendAlerts(coopId, alerts, events)) return;
        break;
      } catch (error) {
        if (this.stopping) throw error;
        this.onError(error);
        await sleep(RECORD_RETRY_MS);
      }
    }
    // Some were recorded earlier, maybe with other data: publish what the store holds.
    for (const alert of alerts) {
      const stored = await this.store.readEventById(alert.alertId);
      if (stored !== null) this.outbox.enqueue(alertOf(stored.data as AlertRaisedData), stored.position);
    }
  }

  /** Appends the alerts' events: true when all were appended (and queued), false when some existed already. */
  private async appendAlerts(
    coopId: string,
    alerts: readonly Alert[],
    events: readonly NewEvent[],
  ): Promise<boolean> {
    try {
      const appended = await appendChained(this.store, alertsStreamId(coopId), events);
      // Recorded as built: publish them now, without reading them back. Only the last carries the
      // append's position, so the outbox watermark passes the batch only once all of it is published.
      alerts.forEach((alert, index) => {
        this.outbox.enqueue(alert, index === alerts.length - 1 ? appended.position : NOTHING);
      });
      return true;
    } catch (error) {
      // Some of these alert ids are already recorded with other data (a clock-tick alert raised again, or
      // thresholds changed since): record only the ones that are missing.
      if (!isStoreFailureOf(error, "EventIdReused")) throw error;
      for (const event of events)
        if ((await this.store.readEventById(event.eventId)) === null)
          await appendChained(this.store, alertsStreamId(coopId), [event]);
      return false;
    }
  }

  /** The stream as far as this supervisor knows it was acknowledged, null without a broker's word yet. */
  private acknowledgedStream(): ProgressStream | null {
    const known = this.knownStream;
    if (known === null) return null;
    const acknowledged = this.outbox.lastAcknowledged ?? this.recordedAcknowledged;
    return {
      created: known.created,
      lastSequence: Math.max(known.lastSequence, this.outbox.lastSequence),
      ...(acknowledged === null ? {} : { acknowledged }),
    };
  }

  /**
   * Publishes again the recorded alerts the broker's stream lost after acknowledging them: every one when
   * it was created anew (every node lost its data); when it lost its tail (a coordinated crash dropped
   * unsynced writes: its last sequence went below one it acknowledged, noticed here or by the outbox from
   * an acknowledgement, or the last message acknowledged is no longer at its sequence, whatever others
   * published since), only those after the last progress marker the surviving stream still covers
   * (streamRepair.ts). JetStream drops ids it still holds within its duplicate window and subscribers
   * drop repeated ids, so a republish costs messages, never a second alert.
   */
  async republishIfStreamLost(): Promise<void> {
    if (this.bus.streamState === undefined || this.republishing) return;
    this.republishing = true;
    let judged = false;
    try {
      await this.checkStream(this.bus.streamState.bind(this.bus));
      judged = true;
    } finally {
      this.republishing = false;
      // The outbox waits while a noticed loss is not handled yet (at most LOSS_PAUSE_MAXIMUM_MS).
      if (judged) this.outbox.resume();
      // Could not judge: checked again until a check does. Judged, but a loss was noticed meanwhile: at once.
      if (!judged) this.checkAgain(UNJUDGED_CHECK_RETRY_MS);
      else if (this.lossNoticed !== null) this.checkAgain(0);
    }
  }

  /** Runs the check again after `milliseconds`, unless the supervisor stops meanwhile. */
  private checkAgain(milliseconds: number): void {
    if (this.stopping) return;
    if (milliseconds === 0) {
      this.republishIfStreamLost().catch(() => undefined);
      return;
    }
    if (this.checkRetry !== null) return;
    this.checkRetry = setTimeout(() => {
      this.checkRetry = null;
      this.republishIfStreamLost().catch(() => undefined);
    }, milliseconds);
    this.checkRetry.unref();
  }

  /**
   * One check of the stream: what it holds now against what was acknowledged. A noticed loss is let go
   * only once handled here, never when the stream cannot be read or judged now (that rejects, and the
   * loss is checked again), or the alerts it lost would never be published again.
   */
  private async checkStream(streamState: () => Promise<BusStreamState>): Promise<void> {
    const now = await streamState();
    const known = this.acknowledgedStream() ?? this.acknowledgedByOutbox(now);
    const noticed = this.lossNoticed;
    const survivedThrough = known === null ? 0 : await this.survivingSequence(now, known, noticed);
    if (known === null || (now.created === known.created && survivedThrough >= known.lastSequence)) {
      this.knownStream = now;
      // Nothing lost as of this reading; a loss noticed since it is checked again.
      if (this.lossNoticed === noticed) this.lossNoticed = null;
      return;
    }
    await this.republishLost(now, known, survivedThrough);
  }

  /**
   * What the outbox saw acknowledged, before any check read the stream and without a progress marker that
   * names it: taken as acknowledged by the stream as it is now, so a loss is judged against it instead of
   * let go unjudged. Had the stream been created anew meanwhile, the message at the acknowledged sequence
   * is another one or none (survivingSequence), and the loss is still found. Null when nothing was.
   */
  private acknowledgedByOutbox(now: BusStreamState): ProgressStream | null {
    const acknowledged = this.outbox.lastAcknowledged;
    if (acknowledged === null) return null;
    return { created: now.created, lastSequence: this.outbox.lastSequence, acknowledged };
  }

  /** The highest sequence the stream can still hold of what it acknowledged (below the known one: a loss). */
  private async survivingSequence(
    now: BusStreamState,
    known: ProgressStream,
    noticed: number | null,
  ): Promise<number> {
    const survived = Math.min(now.lastSequence, noticed ?? now.lastSequence);
    const acknowledged = known.acknowledged;
    if (now.created !== known.created || acknowledged === undefined || this.bus.messageIdAt === undefined)
      return survived;
    if (acknowledged.sequence > survived) return survived;
    const there = await this.bus.messageIdAt(acknowledged.sequence);
    return there === acknowledged.alertId ? survived : acknowledged.sequence - 1;
  }

  private async republishLost(now: BusStreamState, known: ProgressStream, survivedThrough: number) {
    const held =
      now.created === known.created
        ? await positionStillInStream(this.store, now.created, survivedThrough, this.bus.messageIdAt)
        : NOTHING;
    // The watermark goes back before the stream is known anew, so no progress marker pairs this stream
    // with alerts it no longer holds.
    this.outbox.republishAfter(held);
    this.outbox.forgetSequences();
    this.recordedAcknowledged = null;
    // The acknowledgements that noticed this loss meanwhile are about this same loss.
    this.lossNoticed = null;
    this.knownStream = { created: now.created, lastSequence: survivedThrough };
  }

  private async recordProgress(): Promise<void> {
    const next: Progress = {
      processedThrough: this.judgedThrough,
      publishedThrough: this.outbox.publishedThrough,
      stream: this.acknowledgedStream(),
    };
    if (sameProgress(next, this.lastProgress)) return;
    await this.store.append(SUPERVISOR_PROGRESS_STREAM, "any", [
      {
        eventId: this.newId(),
        type: SUPERVISOR_PROGRESS,
        data: {
          processedThrough: next.processedThrough.toString(),
          publishedThrough: next.publishedThrough.toString(),
          ...(next.stream === null ? {} : { stream: next.stream }),
        } satisfies SupervisorProgressData,
        metadata: {
          principalId: SUPERVISOR_PRINCIPAL,
          role: "system",
          recordedAt: this.clock.now().toISOString(),
        },
      },
    ]);
    this.lastProgress = next;
  }

  async idle(timeoutMs = 10_000): Promise<void> {
    const deadlineAt = Date.now() + timeoutMs;
    for (;;) {
      const after = this.judgedThrough > NOTHING ? { after: this.judgedThrough } : {};
      const [nextLedger] = await this.store.readAll({
        streamPrefix: LEDGER_STREAM_PREFIX,
        limit: 1,
        ...after,
      });
      const [nextAudit] = await this.store.readAll({ streamPrefix: AUDIT_STREAM_PREFIX, limit: 1, ...after });
      if (nextLedger === undefined && nextAudit === undefined && this.outbox.pending === 0) return;
      if (Date.now() > deadlineAt) throw new Error("supervisor did not become idle in time");
      await sleep(20);
    }
  }

  private async halt(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.checkRetry !== null) clearTimeout(this.checkRetry);
    await this.subscription?.close();
  }

  async stop(): Promise<void> {
    await this.halt();
    await settlesWithin(this.outbox.drained(), STOP_DRAIN_MS);
    await this.outbox.stop();
    await this.recordProgress();
    const lastSnapshot = this.snapshot().catch((error: unknown) => {
      this.onError(error);
      return false;
    });
    await settlesWithin(lastSnapshot, STOP_SNAPSHOT_MS);
  }

  async abort(): Promise<void> {
    await this.halt();
    await this.outbox.stop();
  }
}
