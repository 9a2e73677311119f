import type { SerializedEvent } from "./eventSize.js";
import type { AppendResult, CommitObserver, ExpectedRevision } from "./port.js";
import { storeUnavailable } from "./storeFailure.js";

/** An append waiting for its group's transaction. */
export interface PendingAppend<Event extends SerializedEvent = SerializedEvent> {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly Event[];
}

/** What became of one append of a group: its result, or the failure that refused it alone. */
export type AppendOutcome = { readonly ok: AppendResult } | { readonly failure: unknown };

/**
 * What a store does with one group: write every append of it in one transaction and say what became of
 * each (same order). Throwing fails the whole group: none of it was acknowledged.
 */
export type GroupWriter<Event extends SerializedEvent = SerializedEvent> = (
  group: readonly PendingAppend<Event>[],
) => Promise<readonly AppendOutcome[]> | readonly AppendOutcome[];

interface Waiting<Event extends SerializedEvent> extends PendingAppend<Event> {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit, shared by the SQLite and PostgreSQL stores: appends that arrive while the event loop is
 * busy are queued, and each group of up to `groupSizeMax` of them is written in one transaction, so
 * durability costs one commit (one fsync) per group instead of one per append. Every append is settled
 * only after its group's transaction has committed or failed.
 *
 * With `groupsInFlightMax` above one (PostgreSQL, whose server runs transactions side by side), several
 * groups are written at once on separate connections. A group never takes an append of a stream that a
 * group in flight already writes: appends of one stream stay in arrival order and never wait for each
 * other's locks inside the server; they simply go in the next group.
 */
export class GroupCommitQueue<Event extends SerializedEvent = SerializedEvent> {
  private queue: Waiting<Event>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly busyStreams = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];
  private observer: CommitObserver | null = null;

  constructor(
    private readonly groupSizeMax: number,
    private readonly writeGroup: GroupWriter<Event>,
    private readonly toFailure: (error: unknown) => unknown,
    private readonly groupsInFlightMax = 1,
  ) {}

  enqueue(append: PendingAppend<Event>): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...append, resolve, reject });
      this.schedule();
    });
  }

  /** Tells `observer` (null: nobody) of each group whose transaction committed from now on. */
  observe(observer: CommitObserver | null): void {
    this.observer = observer;
  }

  /** Resolves once every append accepted so far has been written or failed. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && !this.scheduled;
  }

  /**
   * Starts groups on the next macrotask, so appends of the same tick (and I/O that came meanwhile) join
   * the group rather than each starting its own.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.groupsInFlightMax) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.inFlight < this.groupsInFlightMax) {
      const group = this.takeGroup();
      if (group.length === 0) break;
      this.inFlight += 1;
      for (const pending of group)
        this.busyStreams.set(pending.streamId, (this.busyStreams.get(pending.streamId) ?? 0) + 1);
      void this.flushGroup(group).finally(() => this.groupDone(group));
    }
  }

  /** Frees the group's streams, then starts the next groups, or wakes those waiting for the writer to idle. */
  private groupDone(group: readonly Waiting<Event>[]): void {
    this.inFlight -= 1;
    for (const pending of group) {
      const count = (this.busyStreams.get(pending.streamId) ?? 1) - 1;
      if (count === 0) this.busyStreams.delete(pending.streamId);
      else this.busyStreams.set(pending.streamId, count);
    }
    if (this.queue.length > 0) this.schedule();
    else if (this.isIdle()) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** The next group: queued appends in order, skipping (for now) those of streams a group in flight writes. */
  private takeGroup(): Waiting<Event>[] {
    if (this.busyStreams.size === 0) return this.queue.splice(0, this.groupSizeMax);
    const group: Waiting<Event>[] = [];
    const rest: Waiting<Event>[] = [];
    const blocked = new Set<string>();
    for (const pending of this.queue) {
      // Once an append of a stream waits, every later append of that stream waits too (arrival order).
      if (
        group.length >= this.groupSizeMax ||
        this.busyStreams.has(pending.streamId) ||
        blocked.has(pending.streamId)
      ) {
        blocked.add(pending.streamId);
        rest.push(pending);
      } else group.push(pending);
    }
    this.queue = rest;
    return group;
  }

  private async flushGroup(group: readonly Waiting<Event>[]): Promise<void> {
    let outcomes: readonly AppendOutcome[];
    try {
      outcomes = await this.writeGroup(group);
    } catch (error) {
      const failure = this.toFailure(error);
      for (const pending of group) pending.reject(failure);
      return;
    }
    this.tellObserver(group, outcomes);
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) pending.reject(storeUnavailable("append outcome missing"));
      else if ("ok" in outcome) pending.resolve(outcome.ok);
      else pending.reject(outcome.failure);
    });
  }

  /** Counts what the committed transaction wrote (appends refused alone wrote nothing) for the observer. */
  private tellObserver(group: readonly Waiting<Event>[], outcomes: readonly AppendOutcome[]): void {
    if (this.observer === null) return;
    let appends = 0;
    let events = 0;
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined || !("ok" in outcome)) return;
      appends += 1;
      events += pending.events.length;
    });
    try {
      if (appends > 0) this.observer.committed(appends, events);
    } catch {
      // Metrics must never fail an append that has committed: a throwing observer is ignored.
    }
  }
}
