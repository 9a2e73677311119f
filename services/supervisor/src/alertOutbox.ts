import type { AlertBus } from "@bukubesar/bus";
import type { Alert } from "@bukubesar/supervision";

/** First pause after a failed publish; doubled on each further failure up to the maximum. */
export const PUBLISH_RETRY_INITIAL_MILLISECONDS = 200;
export const PUBLISH_RETRY_MAXIMUM_MILLISECONDS = 5_000;

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

  enqueue(alert: Alert, position: bigint): void {
    this.queue.push({ alert, position });
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
        await this.sleep(PUBLISH_RETRY_MAXIMUM_MILLISECONDS);
        continue;
      }
      try {
        const published = await this.bus.publish(next.alert);
        if ((published.sequence ?? 0) > this.lastSequence) this.lastSequence = published.sequence ?? 0;
        this.queue.shift();
        if (next.position > this.publishedThrough) this.publishedThrough = next.position;
        this.failures = 0;
        this.lastError = null;
      } catch (error) {
        this.lastError = error;
        this.failures += 1;
        const pause = Math.min(
          PUBLISH_RETRY_INITIAL_MILLISECONDS * 2 ** (this.failures - 1),
          PUBLISH_RETRY_MAXIMUM_MILLISECONDS,
        );
        await this.sleep(pause);
      }
    }
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
