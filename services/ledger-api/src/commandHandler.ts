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
 * concurrent posts wait their turn instead of thrashing through revision conflicts. Between processes
 * (replicas, the import) a conflict is retried after a short random pause (conflictBackoffMs), so two
 * processes writing one cooperative fall out of step instead of taking the stream from each other on
 * every retry.
 *
 * Chaining, appending and classifying the store's answer is @bukubesar/event-store's appendToLedger, the
 * write path the CLI's import shares; every outcome is a value (CommandResult), which the HTTP edge maps
 * to its answer (apiContext.ts, problemFromResult): nothing here knows HTTP.
 */
import { randomUUID } from "node:crypto";
import {
  appendToLedger,
  type EventStore,
  type InFlightClaims,
  ledgerConflictBackoffMs,
  lookUpKeyedRequest,
  processLocalInFlightClaims,
} from "@bukubesar/event-store";
import {
  type BaseMetadata,
  decide,
  entryIdFor,
  eventIdFor,
  type LedgerCommand,
  type RecordedLedgerEvent,
  type Rejection,
  type Role,
} from "@bukubesar/ledger-core";
import { advanceSnapshot, type LedgerSnapshot, recordedAtAfter } from "@bukubesar/snapshots";
import type { ClockAheadWatch } from "./clockAheadAlert.js";
import { type DivergenceListener, LedgerCache } from "./ledgerCache.js";
import type { LedgerIntegrity } from "./ledgerIntegrity.js";
import { COMMAND_RETRIES_MAX, CONTENTION_REMEMBERED_MS, MEMORY_BUDGET_MB_DEFAULT } from "./limits.js";

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
  /** The key was used on this route for another request (another request hash): nothing recorded. */
  | { readonly kind: "id_reused" }
  /** A request with this key is still being processed, here or in another replica: nothing recorded. */
  | { readonly kind: "in_flight" }
  /**
   * Other writers moved the stream on every one of COMMAND_RETRIES_MAX tries: nothing recorded, and a
   * retry with the same key later is safe.
   */
  | { readonly kind: "contended" }
  | {
      readonly kind: "recorded";
      readonly events: readonly RecordedLedgerEvent[];
      readonly replayed: boolean;
      /** The snapshot right after these events (for a replay: the current one). */
      readonly snapshot: LedgerSnapshot;
    };

/** Every way a command can end without recording anything. */
export type UnrecordedResult = Exclude<CommandResult, { readonly kind: "recorded" }>;

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
  /** Told of each write's stream recording time and clock reading (clockAheadAlert.ts). */
  readonly onRecording?: ClockAheadWatch;
}

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

/**
 * How long to wait before the `retry`-th decision after a conflict (from 0): the ledger write path's
 * jittered backoff, never more than COMMAND_RETRY_BACKOFF_MAX_MS, so a command waits at most about
 * COMMAND_RETRIES_MAX times that.
 */
export const conflictBackoffMs = ledgerConflictBackoffMs;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What is claimed while a keyed request runs: keys are scoped to (cooperative, route), docs/api.md. */
export const inFlightKeyOf = (coopId: string, route: string, idempotencyKey: string): string =>
  `${coopId}\u0000${route}\u0000${idempotencyKey}`;

/** The id a command's events derive from: from (cooperative, route, key) when keyed, else fresh. */
const baseIdOf = (coopId: string, route: string, idempotencyKey: string | null): string =>
  idempotencyKey === null ? randomUUID() : entryIdFor(coopId, route, idempotencyKey);

/** The metadata of the `index`-th event a command records. */
const metadataFor =
  (baseId: string, context: CommandContext, recordedAt: string) =>
  (index: number): BaseMetadata => ({
    eventId: eventIdFor(baseId, index),
    principalId: context.principalId,
    role: context.role,
    recordedAt,
    idempotencyKey: context.idempotencyKey,
    requestHash: context.requestHash,
    correlationId: context.correlationId,
  });

/** The cooperatives in memory: the given cache, or one of the default budget checked by `integrity`. */
const cacheOf = (options: CommandHandlerOptions): LedgerCache => {
  const { integrity } = options;
  return (
    options.cache ??
    new LedgerCache(options.store, {
      budgetBytes: MEMORY_BUDGET_MB_DEFAULT * 1024 * 1024,
      ...(integrity === undefined
        ? {}
        : {
            advance: (snapshot, events, malformed) => integrity.advanceVerified(snapshot, events, malformed),
          }),
      ...(options.onDiverged === undefined ? {} : { onDiverged: options.onDiverged }),
    })
  );
};

/** Runs each cooperative's tasks one after another, in the order they were asked for. */
const createSerialiser = () => {
  const queues = new Map<string, Promise<unknown>>();
  return <T>(coopId: string, task: () => Promise<T>): Promise<T> => {
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
};

class LedgerCommandHandler implements CommandHandler {
  private readonly store: EventStore;
  private readonly now: () => string;
  private readonly integrity: LedgerIntegrity | undefined;
  private readonly noteRecording: ClockAheadWatch;
  private readonly cache: LedgerCache;
  private readonly serialised = createSerialiser();
  /** Keyed requests being processed by this process. */
  private readonly inFlight = new Set<string>();
  private readonly claims: InFlightClaims;
  private appendedThrough = -1n;
  /** Until when each cooperative counts as written by another process too (its last conflict here). */
  private readonly contendedUntil = new Map<string, number>();

  constructor(options: CommandHandlerOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date().toISOString());
    this.integrity = options.integrity;
    this.noteRecording = options.onRecording ?? (() => undefined);
    this.cache = cacheOf(options);
    this.claims = options.inFlightClaims ?? processLocalInFlightClaims;
  }

  baseIdFor(coopId: string, route: string, idempotencyKey: string | null): string {
    return baseIdOf(coopId, route, idempotencyKey);
  }

  async execute(
    coopId: string,
    command: LedgerCommand,
    context: CommandContext,
    baseIdGiven?: string,
  ): Promise<CommandResult> {
    const baseId = baseIdGiven ?? baseIdOf(coopId, context.route, context.idempotencyKey);
    const run = () => this.serialised(coopId, () => this.attempt(coopId, command, context, baseId));
    if (context.idempotencyKey === null) return run();
    return this.whileClaimed(inFlightKeyOf(coopId, context.route, context.idempotencyKey), run);
  }

  load(coopId: string): Promise<LedgerSnapshot> {
    return this.cache.load(coopId);
  }

  async checkCachedTails(): Promise<void> {
    for (const coopId of this.cache.cachedCooperatives()) await this.cache.load(coopId);
  }

  lastPosition(): bigint {
    return this.appendedThrough;
  }

  readPositionOf(coopId: string): bigint {
    const stored = this.cache.storedPosition(coopId);
    // Positions are bigints, which Math.max does not take.
    if (stored > this.appendedThrough) return stored;
    return this.appendedThrough;
  }

  /** Runs a keyed request while it holds its key here and in the shared claims; in_flight when it cannot. */
  private async whileClaimed(flightKey: string, run: () => Promise<CommandResult>): Promise<CommandResult> {
    if (this.inFlight.has(flightKey)) return { kind: "in_flight" };
    // Taken here before the shared claim's await, so a second request of this process cannot slip in.
    this.inFlight.add(flightKey);
    try {
      if (!(await this.claims.claim(flightKey))) return { kind: "in_flight" };
      try {
        return await run();
      } finally {
        await this.claims.release(flightKey);
      }
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  /** The answer to a keyed request the store already holds events for, or null when it holds none. */
  private async answerRecorded(
    coopId: string,
    baseId: string,
    context: CommandContext,
  ): Promise<CommandResult | null> {
    if (context.idempotencyKey === null) return null;
    const lookup = await lookUpKeyedRequest(this.store, baseId, context.requestHash);
    switch (lookup.kind) {
      case "not_recorded":
        return null;
      case "id_reused":
        return { kind: "id_reused" };
      case "replay":
        return {
          kind: "recorded",
          events: lookup.events,
          replayed: true,
          snapshot: await this.cache.load(coopId),
        };
    }
  }

  /** Applies what this process just appended to its snapshot; the events are stored either way. */
  private advanceAfterAppend(
    coopId: string,
    snapshot: LedgerSnapshot,
    recorded: readonly RecordedLedgerEvent[],
    position: bigint,
  ): CommandResult {
    if (position > this.appendedThrough) this.appendedThrough = position;
    try {
      advanceSnapshot(snapshot, recorded);
    } catch (error) {
      // Only this process's copy is in doubt, so it is replayed from the store next time.
      this.cache.forget(coopId);
      throw error;
    }
    return { kind: "recorded", events: recorded, replayed: false, snapshot };
  }

  /** Appends decided events at the snapshot's head: the result, or null when another writer got there first. */
  private async appendDecided(
    coopId: string,
    snapshot: LedgerSnapshot,
    events: Parameters<typeof appendToLedger>[3],
    context: CommandContext,
    baseId: string,
  ): Promise<CommandResult | null> {
    // Read before the await: a concurrent load may advance the snapshot while the append runs.
    const head = { revision: snapshot.revision, headHash: snapshot.headHash };
    const clock = this.now();
    this.noteRecording(coopId, snapshot.state.regionCode, snapshot.lastRecordedAt, clock);
    const recordedAt = recordedAtAfter(snapshot, clock);
    // Through the cache, which then asks the store again: its watch does not see this process's commits.
    const outcome = await this.cache.writing(coopId, () =>
      appendToLedger(this.store, coopId, head, events, metadataFor(baseId, context, recordedAt)),
    );
    if (outcome.kind !== "appended") return null;
    if (outcome.recorded.length === 0) return { kind: "recorded", events: [], replayed: false, snapshot };
    return this.advanceAfterAppend(coopId, snapshot, outcome.recorded, outcome.position);
  }

  /**
   * After another writer moved the stream: the answer when it was this very request (a retry racing its
   * original), contended after COMMAND_RETRIES_MAX tries, else null once a backoff has passed.
   */
  private async afterConflict(
    coopId: string,
    baseId: string,
    context: CommandContext,
    retry: number,
  ): Promise<CommandResult | null> {
    const recorded = await this.answerRecorded(coopId, baseId, context);
    if (recorded !== null) return recorded;
    this.contendedUntil.set(coopId, Date.now() + CONTENTION_REMEMBERED_MS);
    if (retry >= COMMAND_RETRIES_MAX) return { kind: "contended" };
    await sleep(conflictBackoffMs(retry));
    return null;
  }

  private async attempt(
    coopId: string,
    command: LedgerCommand,
    context: CommandContext,
    baseId: string,
  ): Promise<CommandResult> {
    // While another process is writing this cooperative too, each command first lets a moment pass: a
    // process with a long queue would otherwise append back to back on its warm cache and starve the
    // other's retries, which must read the log first.
    if ((this.contendedUntil.get(coopId) ?? 0) > Date.now()) await sleep(conflictBackoffMs(0));
    for (let retry = 0; ; retry++) {
      const result = await this.tryOnce(coopId, command, context, baseId, retry);
      if (result !== null) return result;
    }
  }

  /** One decision and append: its result, or null to try again from the stored log. */
  private async tryOnce(
    coopId: string,
    command: LedgerCommand,
    context: CommandContext,
    baseId: string,
    retry: number,
  ): Promise<CommandResult | null> {
    const cached = retry === 0 ? this.cache.cached(coopId) : undefined;
    const snapshot = cached ?? (await this.cache.load(coopId));
    this.integrity?.assertWritable(coopId);
    const decision = decide(command, snapshot.state);
    if (decision._tag === "Left") {
      // A refusal on the state held in memory is decided again on the state read from the store.
      if (cached !== undefined) return null;
      // The state may already hold this very request's effect (a retry of a reversal is refused as
      // already_reversed): a keyed request that was recorded before is a replay, not a refusal.
      const recorded = await this.answerRecorded(coopId, baseId, context);
      return recorded ?? { kind: "rejected", rejection: decision.left };
    }
    const appended = await this.appendDecided(coopId, snapshot, decision.right, context, baseId);
    return appended ?? this.afterConflict(coopId, baseId, context, retry);
  }
}

export const createCommandHandler = (options: CommandHandlerOptions): CommandHandler =>
  new LedgerCommandHandler(options);
