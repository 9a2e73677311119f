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
import type { EventStore, NewEvent, StoredEvent, Subscription } from "@bukubesar/event-store";
import { appendChained, isStoreFailureOf, readAllPaged } from "@bukubesar/event-store";
import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";
import type { Alert, SupervisionOptions, SupervisionState } from "@bukubesar/supervision";
import { createSupervisionState, runClockTick, runRules } from "@bukubesar/supervision";
import { AlertOutbox } from "./alertOutbox.js";
import { supervisedEventOf } from "./supervisedEventOf.js";
import type { SupervisorProgressData } from "./supervisorProgress.js";
import { isSupervisedStream, SUPERVISOR_PROGRESS, SUPERVISOR_PROGRESS_STREAM } from "./supervisorProgress.js";

/** How often the dormant-cooperative rule is judged. */
export const DEFAULT_TICK_INTERVAL_MS = 3_600_000;
/** How often progress (rules checkpoint, outbox watermark) is recorded when it has moved. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 1_000;
/** Pause before recording alerts again after the store refused (it is unavailable for a moment). */
export const RECORD_RETRY_MS = 250;
/** How long a graceful stop waits for the outbox to drain; what is left is republished at the next start. */
export const STOP_DRAIN_MS = 2_000;
/**
 * How often the broker's stream is checked for lost alerts (recreated, or its last sequence below one it
 * acknowledged): after all its nodes crash together with unsynced writes, docs/reliability.md #26.
 */
export const DEFAULT_STREAM_CHECK_INTERVAL_MS = 2_000;

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
  readonly tickIntervalMilliseconds?: number;
  readonly progressIntervalMilliseconds?: number;
  /** 0 disables the periodic check of the broker's stream (DEFAULT_STREAM_CHECK_INTERVAL_MS). */
  readonly streamCheckIntervalMilliseconds?: number;
  readonly onError?: (error: unknown) => void;
}

export interface Supervisor {
  /** Every ledger and audit event at or before this position has been judged and its alerts recorded (-1n: none). */
  processedThrough(): bigint;
  /** Alerts recorded but not yet confirmed published. */
  pendingPublications(): number;
  /** Resolves when every ledger event now in the store is judged and every alert published. */
  idle(timeoutMilliseconds?: number): Promise<void>;
  /** Runs the time-driven rules now (or at `now`) and records what they raise. */
  tick(now?: Date): Promise<readonly Alert[]>;
  /** Stops following the log, records progress, stops the outbox. The bus stays open (its owner closes it). */
  stop(): Promise<void>;
  /** Stops at once without recording progress: a crash, for tests. */
  abort(): Promise<void>;
}

const NOTHING = -1n;
/** No stream prefix: the whole log. */
const ALL_STREAMS = undefined;

interface Progress {
  processedThrough: bigint;
  publishedThrough: bigint;
  stream: BusStreamState | null;
}

/** The principal the supervisor records its own alerts as. */
const SUPERVISOR_PRINCIPAL = "supervisor";

/** An AlertRaised that another process (the API) recorded: the supervisor publishes it, it never judges it. */
const isRecordedElsewhere = (event: StoredEvent): boolean =>
  event.streamId.startsWith(ALERTS_STREAM_PREFIX) &&
  event.type === ALERT_RAISED &&
  (event.metadata as { principalId?: unknown } | null)?.principalId !== SUPERVISOR_PRINCIPAL;

async function lastRecordedProgress(store: EventStore): Promise<Progress> {
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
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * The supervisor: follows the ledger streams (`ledger-<coopId>`) and the audit streams (`audit-<coopId>`,
 * refusals recorded by the API) of the global log, runs the rules, records each alert as an
 * `AlertRaised` event (event id = alert id) in `alerts-<coopId>`, then publishes it through an outbox.
 *
 * Where it resumes is derived from the store alone: the larger of the last `SupervisorProgress` marker's
 * `processedThrough` and the largest `triggerPosition` among recorded alerts (alerts of one ledger event
 * are recorded in one atomic append, and events are judged in order, so every event up to that position
 * is done). The rule state is rebuilt by replaying the ledger up to the checkpoint without recording.
 * The outbox resumes from the marker's `publishedThrough`: alerts recorded after it are published again;
 * JetStream's duplicate window and the subscribers' dedupe by id drop what was already delivered.
 */
export async function startSupervisor(options: SupervisorOptions): Promise<Supervisor> {
  const { store, bus } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const newId = options.newId ?? randomUUID;
  const onError = options.onError ?? ((error: unknown) => console.error("supervisor:", error));

  const recorded = await lastRecordedProgress(store);
  let checkpoint = recorded.processedThrough;
  const unpublished: { alert: AlertRaisedData; position: bigint }[] = [];
  for await (const event of readAllPaged(store, ALERTS_STREAM_PREFIX)) {
    if (event.type !== ALERT_RAISED) continue;
    const data = event.data as AlertRaisedData;
    if (data.triggerPosition !== null && BigInt(data.triggerPosition) > checkpoint)
      checkpoint = BigInt(data.triggerPosition);
    if (event.position > recorded.publishedThrough)
      unpublished.push({ alert: data, position: event.position });
  }

  let state: SupervisionState = createSupervisionState(options.supervision);
  if (checkpoint > NOTHING) {
    for await (const event of readAllPaged(store, ALL_STREAMS, undefined, checkpoint)) {
      if (isSupervisedStream(event.streamId)) state = runRules(state, supervisedEventOf(event)).state;
    }
  }

  const outbox = new AlertOutbox(bus, recorded.publishedThrough);
  for (const { alert, position } of unpublished) outbox.enqueue(alertOf(alert), position);
  let knownStream: BusStreamState | null = recorded.stream;
  let republishing = false;

  /**
   * Publishes every recorded alert again when the broker's stream lost some it had acknowledged: it was
   * created anew (every node lost its data) or its last sequence is below one it acknowledged (a
   * coordinated crash dropped unsynced writes). JetStream drops ids it still holds within its duplicate
   * window and subscribers drop repeated ids, so a republish costs messages, never a second alert.
   */
  async function republishIfStreamLost(): Promise<void> {
    if (bus.streamState === undefined || republishing) return;
    republishing = true;
    try {
      const now = await bus.streamState();
      const known = acknowledgedStream();
      knownStream = now;
      if (known === null || (now.created === known.created && now.lastSequence >= known.lastSequence)) return;
      outbox.lastSequence = 0;
      for await (const event of readAllPaged(store, ALERTS_STREAM_PREFIX))
        if (event.type === ALERT_RAISED) outbox.enqueue(alertOf(event.data as AlertRaisedData), NOTHING);
    } finally {
      republishing = false;
    }
  }
  // While the broker is away the check fails; the outbox already retries and reports that.
  await republishIfStreamLost().catch(() => undefined);

  let processedThrough = checkpoint;
  let stopping = false;
  let lastProgress: Progress = { ...recorded };

  async function record(
    coopId: string,
    alerts: readonly Alert[],
    trigger: StoredEvent | null,
  ): Promise<void> {
    const toEvent = (alert: Alert): NewEvent => ({
      eventId: alert.alertId,
      type: ALERT_RAISED,
      data: {
        ...alert,
        triggerPosition: trigger === null ? null : trigger.position.toString(),
        triggerEventId: trigger?.eventId ?? null,
      } satisfies AlertRaisedData,
      metadata: { principalId: SUPERVISOR_PRINCIPAL, role: "system", recordedAt: alert.raisedAt },
    });
    for (;;) {
      try {
        try {
          const appended = await appendChained(store, alertsStreamId(coopId), alerts.map(toEvent));
          // Recorded as built: publish them now, without reading them back. Only the last carries the
          // append's position, so the outbox watermark passes the batch only once all of it is published.
          alerts.forEach((alert, index) => {
            outbox.enqueue(alert, index === alerts.length - 1 ? appended.position : NOTHING);
          });
          return;
        } catch (error) {
          // Some of these alert ids are already recorded with other data (a clock-tick alert raised again, or
          // thresholds changed since): record only the ones that are missing.
          if (!isStoreFailureOf(error, "EventIdReused")) throw error;
          const missing: Alert[] = [];
          for (const alert of alerts)
            if ((await store.readEventById(alert.alertId)) === null) missing.push(alert);
          for (const alert of missing) await appendChained(store, alertsStreamId(coopId), [toEvent(alert)]);
        }
        break;
      } catch (error) {
        if (stopping) throw error;
        onError(error);
        await sleep(RECORD_RETRY_MS);
      }
    }
    // Some were recorded earlier, maybe with other data: publish what the store holds.
    for (const alert of alerts) {
      const stored = await store.readEventById(alert.alertId);
      if (stored !== null) outbox.enqueue(alertOf(stored.data as AlertRaisedData), stored.position);
    }
  }

  /** The stream as far as this supervisor knows it was acknowledged, null without a broker's word yet. */
  const acknowledgedStream = (): BusStreamState | null =>
    knownStream === null
      ? null
      : {
          created: knownStream.created,
          lastSequence: Math.max(knownStream.lastSequence, outbox.lastSequence),
        };

  async function recordProgress(): Promise<void> {
    const next: Progress = {
      processedThrough,
      publishedThrough: outbox.publishedThrough,
      stream: acknowledgedStream(),
    };
    if (
      next.processedThrough === lastProgress.processedThrough &&
      next.publishedThrough === lastProgress.publishedThrough &&
      next.stream?.created === lastProgress.stream?.created &&
      next.stream?.lastSequence === lastProgress.stream?.lastSequence
    ) {
      return;
    }
    await store.append(SUPERVISOR_PROGRESS_STREAM, "any", [
      {
        eventId: newId(),
        type: SUPERVISOR_PROGRESS,
        data: {
          processedThrough: next.processedThrough.toString(),
          publishedThrough: next.publishedThrough.toString(),
          ...(next.stream === null ? {} : { stream: next.stream }),
        } satisfies SupervisorProgressData,
        metadata: {
          principalId: SUPERVISOR_PRINCIPAL,
          role: "system",
          recordedAt: clock.now().toISOString(),
        },
      },
    ]);
    lastProgress = next;
  }

  // One subscription to the whole log, filtered here, so ledger and audit events are judged in their one
  // global order from one checkpoint (two subscriptions would each need their own and could interleave).
  // The supervisor's own alerts and progress markers pass by without moving the checkpoint, so recording
  // progress never makes more progress to record.
  const subscription: Subscription = store.subscribeToAll(
    checkpoint > NOTHING ? { after: checkpoint } : {},
    async (event) => {
      if (stopping) return;
      if (isRecordedElsewhere(event)) {
        // An alert the API recorded itself (a broken hash chain, a damaged snapshot, a service alert):
        // published now, not only when a supervisor next starts and finds it past its watermark.
        outbox.enqueue(alertOf(event.data as AlertRaisedData), event.position);
        return;
      }
      if (!isSupervisedStream(event.streamId)) return;
      const result = runRules(state, supervisedEventOf(event));
      state = result.state;
      if (result.alerts.length > 0) {
        await record(supervisedEventOf(event).coopId, result.alerts, event);
      }
      processedThrough = event.position;
    },
  );

  async function tick(now: Date = clock.now()): Promise<readonly Alert[]> {
    const result = runClockTick(state, { now: now.toISOString() });
    state = result.state;
    const byCoop = new Map<string, Alert[]>();
    for (const alert of result.alerts) byCoop.set(alert.coopId, [...(byCoop.get(alert.coopId) ?? []), alert]);
    for (const [coopId, alerts] of byCoop) await record(coopId, alerts, null);
    return result.alerts;
  }

  const progressTimer = setInterval(() => {
    recordProgress().catch(onError);
  }, options.progressIntervalMilliseconds ?? DEFAULT_PROGRESS_INTERVAL_MS);
  const tickInterval = options.tickIntervalMilliseconds ?? DEFAULT_TICK_INTERVAL_MS;
  const tickTimer =
    tickInterval > 0
      ? setInterval(() => {
          tick().catch(onError);
        }, tickInterval)
      : null;
  const streamCheckInterval = options.streamCheckIntervalMilliseconds ?? DEFAULT_STREAM_CHECK_INTERVAL_MS;
  const streamTimer =
    streamCheckInterval > 0 && bus.streamState !== undefined
      ? setInterval(() => {
          republishIfStreamLost().catch(() => undefined);
        }, streamCheckInterval)
      : null;
  progressTimer.unref();
  tickTimer?.unref();
  streamTimer?.unref();

  async function halt(): Promise<void> {
    stopping = true;
    clearInterval(progressTimer);
    if (tickTimer !== null) clearInterval(tickTimer);
    if (streamTimer !== null) clearInterval(streamTimer);
    await subscription.close();
  }

  return {
    processedThrough: () => processedThrough,
    pendingPublications: () => outbox.pending,
    async idle(timeoutMilliseconds = 10_000) {
      const deadline = Date.now() + timeoutMilliseconds;
      for (;;) {
        const after = processedThrough > NOTHING ? { after: processedThrough } : {};
        const [nextLedger] = await store.readAll({ streamPrefix: LEDGER_STREAM_PREFIX, limit: 1, ...after });
        const [nextAudit] = await store.readAll({ streamPrefix: AUDIT_STREAM_PREFIX, limit: 1, ...after });
        if (nextLedger === undefined && nextAudit === undefined && outbox.pending === 0) return;
        if (Date.now() > deadline) throw new Error("supervisor did not become idle in time");
        await sleep(20);
      }
    },
    tick,
    async stop() {
      await halt();
      await Promise.race([outbox.drained(), sleep(STOP_DRAIN_MS)]);
      await outbox.stop();
      await recordProgress();
    },
    async abort() {
      await halt();
      await outbox.stop();
    },
  };
}
