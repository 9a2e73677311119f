import { setImmediate as nextTurn } from "node:timers/promises";
import type { ReadModelSnapshotTable } from "@bukubesar/event-store";
import type { SupervisionState } from "@bukubesar/supervision";
import { encodeCooperativeSupervision } from "@bukubesar/supervision";
import type { EncodedPart, RuleSnapshotPosition } from "./ruleSnapshot.js";
import { partOf, RULE_SNAPSHOT_NAME, ruleSnapshotParts } from "./ruleSnapshot.js";

/**
 * How long the writer encodes cooperatives before it gives the event loop a turn: the supervisor keeps
 * judging events (and a service keeps answering requests) while a snapshot is written.
 */
export const SNAPSHOT_SLICE_MS = 5;

/**
 * Writes the rule-state snapshot in the background, incrementally: a cooperative is encoded again only
 * when it changed since it was last encoded, and the others keep their encoded part.
 *
 * A snapshot is taken at one position while the supervisor goes on judging events, without copying the
 * state: the supervisor calls `beforeChange` before an event (or a clock tick) changes a cooperative,
 * and a cooperative still waiting to be encoded for the snapshot under way is encoded at that moment,
 * as it was at the snapshot's position. So every part is the cooperative's state at the position, and
 * the encoding of thousands of cooperatives is spread over turns of the event loop.
 */
export class RuleSnapshotWriter {
  /** Cooperatives changed since their part was encoded (to encode for the next snapshot). */
  private dirty = new Set<string>();
  /** Cooperatives still to encode for the snapshot under way (null: none under way). */
  private pending: Set<string> | null = null;
  private running: Promise<boolean> | null = null;

  /**
   * @param parts the parts of the snapshot the state was restored from (or empty), kept for the
   *   cooperatives that do not change.
   * @param savedThrough the position of the last snapshot saved (-1n: none).
   * @param sliceMs how long it encodes before it gives the event loop a turn.
   */
  constructor(
    private readonly table: ReadModelSnapshotTable,
    private readonly state: SupervisionState,
    private readonly parts: Map<string, EncodedPart>,
    private savedThrough: bigint,
    private readonly sliceMs = SNAPSHOT_SLICE_MS,
  ) {}

  /** Called before an event or a tick changes `coopId`'s state. */
  beforeChange(coopId: string): void {
    if (this.pending?.has(coopId) === true) this.encode(coopId);
    this.dirty.add(coopId);
  }

  /** Called before a clock tick, which may change every cooperative's state. */
  beforeChangeAll(): void {
    for (const coopId of this.state.cooperatives.keys()) this.beforeChange(coopId);
  }

  /**
   * Starts writing a snapshot of the state, which must be exactly the state at `at` (every event up to it
   * judged and its alerts recorded, none after it). Resolves true once saved, false when nothing changed
   * since the last snapshot; when one is already under way, resolves with that one.
   */
  write(at: RuleSnapshotPosition): Promise<boolean> {
    if (this.running !== null) return this.running;
    if (at.position === this.savedThrough && this.dirty.size === 0) return Promise.resolve(false);
    this.pending = this.dirty;
    this.dirty = new Set();
    this.running = this.encodeAndSave(at).finally(() => {
      // A snapshot that failed while encoding leaves cooperatives not encoded: they stay to be encoded.
      for (const coopId of this.pending ?? []) this.dirty.add(coopId);
      this.pending = null;
      this.running = null;
    });
    return this.running;
  }

  /** Resolves when no snapshot is under way (whether the last one was saved or not). */
  async settled(): Promise<void> {
    await this.running?.catch(() => false);
  }

  private encode(coopId: string): void {
    const bytes = encodeCooperativeSupervision(this.state, coopId);
    if (bytes !== null) this.parts.set(coopId, partOf(bytes));
    this.pending?.delete(coopId);
  }

  private async encodeAndSave(at: RuleSnapshotPosition): Promise<boolean> {
    const pending = this.pending as Set<string>;
    let sliceStarted = performance.now();
    // Iterating a Set visits none that `beforeChange` deleted meanwhile (they are encoded already).
    for (const coopId of pending) {
      this.encode(coopId);
      if (performance.now() - sliceStarted >= this.sliceMs) {
        await nextTurn();
        sliceStarted = performance.now();
      }
    }
    const coopIds = [...this.parts.keys()].sort();
    await this.table.save(
      RULE_SNAPSHOT_NAME,
      at.position,
      ruleSnapshotParts(this.state, at, coopIds, this.parts),
    );
    this.savedThrough = at.position;
    return true;
  }
}
