import type { SerializedEvent } from "./event-size.js";
import type { AppendResult, ExpectedRevision } from "./port.js";
import { storeUnavailable } from "./store-failure.js";

/** An append waiting for its group's transaction. */
export interface PendingAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly SerializedEvent[];
}

/** What became of one append of a group: its result, or the failure that refused it alone. */
export type AppendOutcome = { readonly ok: AppendResult } | { readonly failure: unknown };

/**
 * What a store does with one group: write every append of it in one transaction and say what became of
 * each (same order). Throwing fails the whole group: none of it was acknowledged.
 */
export type GroupWriter = (
  group: readonly PendingAppend[],
) => Promise<readonly AppendOutcome[]> | readonly AppendOutcome[];

interface Waiting extends PendingAppend {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit, shared by the SQLite and PostgreSQL stores: appends that arrive while the event loop is
 * busy are queued, and each macrotask writes up to `groupSizeMax` of them in one transaction, so durability
 * costs one commit (one fsync) per group instead of one per append. Every append is settled only after its
 * group's transaction has committed or failed.
 */
export class GroupCommitQueue {
  private queue: Waiting[] = [];
  private flushing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly groupSizeMax: number,
    private readonly writeGroup: GroupWriter,
    private readonly toFailure: (error: unknown) => unknown,
  ) {}

  enqueue(append: PendingAppend): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...append, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        void this.flushLoop();
      }
    });
  }

  /** Resolves once every append accepted so far has been written or failed. */
  idle(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // Yield one macrotask first, so appends of the same tick (and I/O that came meanwhile) join the group.
        await new Promise((resolve) => setImmediate(resolve));
        await this.flushGroup(this.queue.splice(0, this.groupSizeMax));
      }
    } finally {
      // Set in the same microtask as the loop's last emptiness check, so no enqueue can fall in between.
      this.flushing = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async flushGroup(group: readonly Waiting[]): Promise<void> {
    let outcomes: readonly AppendOutcome[];
    try {
      outcomes = await this.writeGroup(group);
    } catch (error) {
      const failure = this.toFailure(error);
      for (const pending of group) pending.reject(failure);
      return;
    }
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) pending.reject(storeUnavailable("append outcome missing"));
      else if ("ok" in outcome) pending.resolve(outcome.ok);
      else pending.reject(outcome.failure);
    });
  }
}
