/**
 * The command handler: load the cooperative's ledger (from the LRU, caught up by revision), decide,
 * record the events on the hash chain with their metadata, append with the expected revision, and on a
 * concurrency conflict catch up and decide again.
 *
 * A command is first decided on the cached snapshot without reading the store: the append's expected
 * revision tells whether another process (the CLI's import, another replica) wrote in between, and then
 * we catch up and decide again. A refusal decided on an unread snapshot is decided once more on a fresh
 * one before it is answered, so staleness can never refuse a valid command.
 *
 * Idempotency lives in the store: a keyed command's event ids are derived from (cooperative, route, key),
 * so a repeated key collides with what it recorded the first time (the store's unique event ids, or the
 * expected revision) or, decided on a state that already holds its effect, is refused; in each of these
 * cases we look the first id up. Found with the same request hash: the original events are returned (a
 * replay). Found with another hash: `idempotency_key_reused`. A key still being processed in this
 * process, or in another replica of the same store (`inFlightClaims`, an advisory lock there):
 * `idempotency_key_in_flight`. The happy path of a new key costs no read of the log.
 *
 * Commands for one cooperative are serialised in-process (a promise queue per stream), so fifty
 * concurrent posts wait their turn instead of thrashing through revision conflicts.
 */
import { randomUUID } from "node:crypto";
import {
  type EventStore,
  type InFlightClaims,
  isStoreFailure,
  type NewEvent,
  processLocalInFlightClaims,
} from "@bukubesar/event-store";
import {
  type BaseMetadata,
  decide,
  entryIdFor,
  eventIdFor,
  type LedgerCommand,
  ledgerStreamId,
  type RecordedLedgerEvent,
  type Rejection,
  type Role,
  recordEvents,
} from "@bukubesar/ledger-core";
import { type DivergenceListener, LedgerCache } from "./ledgerCache.js";
import type { LedgerIntegrity } from "./ledgerIntegrity.js";
import { advanceSnapshot, type LedgerSnapshot, recordedAtAfter, toRecorded } from "./ledgerSnapshot.js";
import { COMMAND_RETRIES_MAX, MEMORY_BUDGET_MB_DEFAULT } from "./limits.js";
import { ApiProblem } from "./problem.js";

/** Who asks, under which key, and for which request: becomes the events' metadata. */
export interface CommandContext {
  readonly principalId: string;
  readonly role: Role | "system";
  /** The route within the cooperative, e.g. `journal-entries` or `journal-entries/<id>/approve`. */
  readonly route: string;
  readonly idempotencyKey: string | null;
  /** SHA-256 of the canonical request; required when a key is given. */
  readonly requestHash: string | null;
  readonly correlationId: string | null;
}

export type CommandResult =
  | { readonly kind: "rejected"; readonly rejection: Rejection }
  | {
      readonly kind: "recorded";
      readonly events: readonly RecordedLedgerEvent[];
      readonly replayed: boolean;
      /** The snapshot right after these events (for a replay: the current one). */
      readonly snapshot: LedgerSnapshot;
    };

export interface CommandHandlerOptions {
  readonly store: EventStore;
  /** The clock, injected so tests and replays are reproducible; returns RFC 3339 UTC. */
  readonly now?: () => string;
  /** Checks every event folded against the hash chain and refuses writes where it broke (ledgerIntegrity.ts). */
  readonly integrity?: LedgerIntegrity;
  /**
   * Keys in flight in other processes of the same store (PostgresInFlightClaims for API replicas); by
   * default only this process's own keys are known.
   */
  readonly inFlightClaims?: InFlightClaims;
  /** Told when a cached ledger was ahead of the store (a failover) and was replayed (ledgerCache.ts). */
  readonly onDiverged?: DivergenceListener;
  /**
   * The cooperatives held in memory (its loads must go through `integrity` when there is one); by default
   * a cache of MEMORY_BUDGET_MB_DEFAULT without snapshots, checked by `integrity`.
   */
  readonly cache?: LedgerCache;
}

/** The events one command may produce at most (a cooperative opened with its chart is the largest). */
const EVENTS_PER_COMMAND_MAX = 10_000;

export interface CommandHandler {
  /** The id a keyed command's entry gets: the same for every retry of the request. */
  baseIdFor(coopId: string, route: string, idempotencyKey: string | null): string;
  execute(
    coopId: string,
    command: LedgerCommand,
    context: CommandContext,
    baseId?: string,
  ): Promise<CommandResult>;
  /** The cooperative's ledger, caught up with the store. */
  load(coopId: string): Promise<LedgerSnapshot>;
  /** The global position of the last event this process appended (for read-your-writes). */
  lastPosition(): bigint;
  /**
   * The position a read of this cooperative must wait for: the later of this process's last append and
   * the last event of the cooperative's stream seen by the latest load, which includes what other replicas
   * wrote (read-after-write across replicas).
   */
  readPositionOf(coopId: string): bigint;
  /** Reads (and so checks) the tail of every cooperative held in memory: the background integrity check. */
  checkCachedTails(): Promise<void>;
}

/** What is claimed while a keyed request runs: keys are scoped to (cooperative, route), docs/api.md. */
export const inFlightKeyOf = (coopId: string, route: string, idempotencyKey: string): string =>
  `${coopId}\u0000${route}\u0000${idempotencyKey}`;

export const createCommandHandler = (options: CommandHandlerOptions): CommandHandler => {
  const { store } = options;
  const now = options.now ?? (() => new Date().toISOString());
  const integrity = options.integrity;
  const cache =
    options.cache ??
    new LedgerCache(store, {
      budgetBytes: MEMORY_BUDGET_MB_DEFAULT * 1024 * 1024,
      ...(integrity === undefined
        ? {}
        : { advance: (snapshot, events) => integrity.advanceVerified(snapshot, events) }),
      ...(options.onDiverged === undefined ? {} : { onDiverged: options.onDiverged }),
    });
  const queues = new Map<string, Promise<unknown>>();
  const inFlight = new Set<string>();
  const claims = options.inFlightClaims ?? processLocalInFlightClaims;
  let lastPosition = -1n;

  /** Runs `task` after every earlier task of the same cooperative has finished. */
  const serialised = <T>(coopId: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(coopId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(coopId, settled);
    void settled.then(() => {
      if (queues.get(coopId) === settled) queues.delete(coopId);
    });
    return run;
  };

  /** The events a keyed command recorded, in order, or null when it never was. */
  const readRecorded = async (baseId: string): Promise<RecordedLedgerEvent[] | null> => {
    const events: RecordedLedgerEvent[] = [];
    for (let index = 0; index < EVENTS_PER_COMMAND_MAX; index++) {
      const stored = await store.readEventById(eventIdFor(baseId, index));
      if (stored === null) break;
      events.push(toRecorded(stored));
    }
    return events.length === 0 ? null : events;
  };

  const replayOrRefuse = async (
    coopId: string,
    baseId: string,
    context: CommandContext,
  ): Promise<CommandResult | null> => {
    const recorded = await readRecorded(baseId);
    if (recorded === null) return null;
    const first = recorded[0] as RecordedLedgerEvent;
    if (first.metadata.requestHash !== context.requestHash) {
      throw new ApiProblem(
        "idempotency_key_reused",
        "This Idempotency-Key was already used on this route with a different request.",
        [
          {
            path: "Idempotency-Key",
            code: "idempotency_key_reused",
            message: "send a new key for a new request",
          },
        ],
      );
    }
    return { kind: "recorded", events: recorded, replayed: true, snapshot: await cache.load(coopId) };
  };

  const attempt = async (
    coopId: string,
    command: LedgerCommand,
    context: CommandContext,
    baseId: string,
  ): Promise<CommandResult> => {
    const streamId = ledgerStreamId(coopId);
    for (let retry = 0; ; retry++) {
      const cached = retry === 0 ? cache.cached(coopId) : undefined;
      const snapshot = cached ?? (await cache.load(coopId));
      integrity?.assertWritable(coopId);
      const decision = decide(command, snapshot.state);
      if (decision._tag === "Left") {
        if (cached !== undefined) continue;
        // The state may already hold this very request's effect (a retry of a reversal is refused as
        // already_reversed): a keyed request that was recorded before is a replay, not a refusal.
        if (context.idempotencyKey !== null) {
          const replay = await replayOrRefuse(coopId, baseId, context);
          if (replay !== null) return replay;
        }
        return { kind: "rejected", rejection: decision.left };
      }
      const recordedAt = recordedAtAfter(snapshot, now());
      const base = (_event: unknown, index: number): BaseMetadata => ({
        eventId: eventIdFor(baseId, index),
        principalId: context.principalId,
        role: context.role,
        recordedAt,
        idempotencyKey: context.idempotencyKey,
        requestHash: context.requestHash,
        correlationId: context.correlationId,
      });
      const recorded = recordEvents(
        decision.right,
        { nextRevision: snapshot.revision + 1, headHash: snapshot.headHash },
        base,
      );
      if (recorded.length === 0) return { kind: "recorded", events: [], replayed: false, snapshot };
      const newEvents: NewEvent[] = recorded.map((event) => ({
        eventId: event.metadata.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      }));
      // Read before the await: a concurrent load may advance the snapshot while the append runs.
      const expectedRevision = snapshot.revision;
      try {
        const result = await store.append(
          streamId,
          expectedRevision < 0 ? "no_stream" : expectedRevision,
          newEvents,
        );
        const expectedLast = expectedRevision + recorded.length;
        if (result.alreadyStored || result.nextExpectedRevision !== expectedLast) {
          // The store recognised the event ids as already stored: another process won the race.
          if (context.idempotencyKey !== null) {
            const replay = await replayOrRefuse(coopId, baseId, context);
            if (replay !== null) return replay;
          }
          if (retry < COMMAND_RETRIES_MAX) continue;
          throw new Error(`the store kept answering with revisions other than ${expectedLast}`);
        }
        if (result.position > lastPosition) lastPosition = result.position;
        try {
          advanceSnapshot(snapshot, recorded);
        } catch (error) {
          // The events are stored; only this process's copy is in doubt, so replay it from the store.
          cache.forget(coopId);
          throw error;
        }
        return { kind: "recorded", events: recorded, replayed: false, snapshot };
      } catch (error) {
        if (
          isStoreFailure(error) &&
          error.error._tag === "WrongExpectedRevision" &&
          retry < COMMAND_RETRIES_MAX
        ) {
          if (context.idempotencyKey !== null) {
            const replay = await replayOrRefuse(coopId, baseId, context);
            if (replay !== null) return replay;
          }
          continue;
        }
        if (
          isStoreFailure(error) &&
          error.error._tag === "EventIdReused" &&
          context.idempotencyKey !== null
        ) {
          const replay = await replayOrRefuse(coopId, baseId, context);
          if (replay !== null) return replay;
        }
        throw error;
      }
    }
  };

  return {
    baseIdFor: (coopId, route, idempotencyKey) =>
      idempotencyKey === null ? randomUUID() : entryIdFor(coopId, route, idempotencyKey),

    async execute(coopId, command, context, baseIdGiven) {
      const baseId =
        baseIdGiven ??
        (context.idempotencyKey === null
          ? randomUUID()
          : entryIdFor(coopId, context.route, context.idempotencyKey));
      if (context.idempotencyKey === null)
        return serialised(coopId, () => attempt(coopId, command, context, baseId));
      const flightKey = inFlightKeyOf(coopId, context.route, context.idempotencyKey);
      const inFlightProblem = () =>
        new ApiProblem(
          "idempotency_key_in_flight",
          "A request with this Idempotency-Key is still being processed; retry shortly.",
        );
      if (inFlight.has(flightKey)) throw inFlightProblem();
      // Taken here before the shared claim's await, so a second request of this process cannot slip in.
      inFlight.add(flightKey);
      try {
        if (!(await claims.claim(flightKey))) throw inFlightProblem();
        try {
          return await serialised(coopId, () => attempt(coopId, command, context, baseId));
        } finally {
          await claims.release(flightKey);
        }
      } finally {
        inFlight.delete(flightKey);
      }
    },

    load: (coopId) => cache.load(coopId),
    async checkCachedTails() {
      for (const coopId of cache.cachedCooperatives()) await cache.load(coopId);
    },
    lastPosition: () => lastPosition,
    readPositionOf: (coopId) => {
      const stored = cache.storedPosition(coopId);
      return stored > lastPosition ? stored : lastPosition;
    },
  };
};
