import type { AlertBus } from "@bukubesar/bus";
import type { Alert } from "@bukubesar/supervision";

/** First pause after a failed publish; doubled on each further failure up to the maximum. */
export const PUBLISH_RETRY_INITIAL_MS = 200;
export const PUBLISH_RETRY_MAXIMUM_MS = 5_000;

/** The position of a queued alert that does not move the watermark (all but the last of one append). */
export const NO_POSITION = -1n;

interface Pending {
  readonly alert: Alert;
  /** The store position of its AlertRaised event. */
  readonly position: bigint;
}

/**
 * Publishes recorded alerts in record order, retrying for as long as the bus refuses them. Recording never
 * waits on this: while NATS is away the queue grows and drains once it returns. `publishedThrough` is the
 * store position up to which every alert has been confirmed published.
 */
export class AlertOutbox {
  private readonly queue: Pending[] = [];
  private wake: (() => void) | null = null;
  private stopped = false;
  private readonly loop: Promise<void>;
  private failures = 0;
  publishedThrough: bigint;
  /** The highest broker sequence a publish was acknowledged with (0: none yet, or reset after a loss). */
  lastSequence = 0;
  lastError: unknown = null;

  constructor(
    private readonly bus: AlertBus,
    publishedThrough: bigint,
  ) {
    this.publishedThrough = publishedThrough;
    this.loop = this.run();
  }

  get pending(): number {
    return this.queue.length;
  }

  /**
   * Queues an alert; `position` is its AlertRaised event's (NO_POSITION for one that must not move the
   * watermark). Queued positions stay ascending, so `publishedThrough` never passes an alert still queued:
   * an alert another process recorded reaches this supervisor after its own later ones, and goes in front
   * of them (and lowers a watermark that already passed it).
   */
  enqueue(alert: Alert, position: bigint): void {
    let index = this.queue.length;
    if (position > NO_POSITION) {
      while (index > 0) {
        // Never in front of an alert without a position: it may be one of an earlier append whose last
        // alert (the one that carries the position) is already ahead of it.
        const before = (this.queue[index - 1] as Pending).position;
        if (before === NO_POSITION || before <= position) break;
        index -= 1;
      }
      if (position <= this.publishedThrough) this.publishedThrough = position - 1n;
    }
    // The one being published (the head) stays first: it may be on its way already.
    this.queue.splice(Math.max(index, this.queue.length === 0 ? 0 : 1), 0, { alert, position });
    this.wake?.();
  }

  private sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, milliseconds);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const next = this.queue[0];
      if (next === undefined) {
        await this.sleep(PUBLISH_RETRY_MAXIMUM_MS);
        continue;
      }
      try {
        const published = await this.bus.publish(next.alert);
        if ((published.sequence ?? 0) > this.lastSequence) this.lastSequence = published.sequence ?? 0;
        this.queue.shift();
        if (next.position > this.publishedThrough) this.advanceWatermark(next.position);
        this.failures = 0;
        this.lastError = null;
      } catch (error) {
        this.lastError = error;
        this.failures += 1;
        const pause = Math.min(PUBLISH_RETRY_INITIAL_MS * 2 ** (this.failures - 1), PUBLISH_RETRY_MAXIMUM_MS);
        await this.sleep(pause);
      }
    }
  }

  /** Moves the watermark to `position`, but never past an alert still queued (one queued meanwhile). */
  private advanceWatermark(position: bigint): void {
    const pending = this.queue.find((item) => item.position > NO_POSITION);
    this.publishedThrough =
      pending !== undefined && pending.position <= position ? pending.position - 1n : position;
  }

  /** Resolves once everything queued so far is published (or the outbox is stopped). */
  async drained(pollMilliseconds = 20): Promise<void> {
    while (this.queue.length > 0 && !this.stopped)
      await new Promise((resolve) => setTimeout(resolve, pollMilliseconds));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }
}
