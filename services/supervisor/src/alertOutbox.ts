import type { AlertBus, PublishResult } from "@bukubesar/bus";
import type { Alert } from "@bukubesar/supervision";

/** First pause after a failed publish; doubled on each further failure up to the maximum. */
export const PUBLISH_RETRY_INITIAL_MS = 200;
export const PUBLISH_RETRY_MAXIMUM_MS = 5_000;

/** The position of a queued alert that does not move the watermark (all but the last of one append). */
export const NO_POSITION = -1n;
/**
 * Recorded alerts read from the store per page when publishing again (after a loss in the broker, or at a
 * start): the queue holds at most this many of them, whatever the size of the store.
 */
export const REPUBLISH_PAGE_SIZE = 256;

/**
 * How long publishing waits, after an acknowledgement showed the stream lost messages, for the owner to
 * say what to publish again (resume): new alerts published meanwhile would be sent twice.
 */
export const LOSS_PAUSE_MAXIMUM_MS = 5_000;

/** A message the broker acknowledged: its sequence and alert id (to find it again later). */
export interface AcknowledgedMessage {
  readonly sequence: number;
  readonly alertId: string;
}

export interface RecordedAlert {
  readonly alert: Alert;
  /** The store position of its AlertRaised event. */
  readonly position: bigint;
}

/** One page of recorded alerts, in position order. */
export interface RecordedAlertPage {
  readonly alerts: readonly RecordedAlert[];
  /** The store position the page read through (the next page starts after it); null at the end. */
  readonly readThrough: bigint | null;
}

/** Recorded alerts whose AlertRaised event is after store position `after`, reading at most `limit` events. */
export type RecordedAlertSource = (after: bigint, limit: number) => Promise<RecordedAlertPage>;

export interface AlertOutboxOptions {
  /** Where alerts to publish again are read from, page by page (republishAfter). */
  readonly source?: RecordedAlertSource;
  /**
   * Called when the broker acknowledges a new message with a sequence not above one it acknowledged before:
   * its stream lost messages (a coordinated crash dropped unsynced writes, or the stream was created anew).
   * `survivedThrough` is the highest sequence the stream can still hold from before. Publishing pauses
   * until `resume` (or LOSS_PAUSE_MAXIMUM_MS).
   */
  readonly onStreamLoss?: (survivedThrough: number) => void;
}

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
  /** The queued entry of each alert id in the queue. */
  private readonly queuedById = new Map<string, Pending>();
  private wake: (() => void) | null = null;
  private stopped = false;
  private readonly loop: Promise<void>;
  private failures = 0;
  publishedThrough: bigint;
  /** The highest broker sequence a publish was acknowledged with (0: none yet, or reset after a loss). */
  lastSequence = 0;
  /** The message acknowledged with `lastSequence` (null: none yet, or forgotten after a loss). */
  lastAcknowledged: AcknowledgedMessage | null = null;
  lastError: unknown = null;
  /** How many alerts were queued again from the store (republishAfter): for checks and metrics. */
  republished = 0;
  /**
   * While publishing again: the store position through which recorded alerts are queued; the ones after it
   * are read from the source a page at a time as the queue empties, and the watermark stays at or below it.
   */
  private republishCursor: bigint | null = null;
  /** Publishing waits until this time (Date.now()) after a noticed loss; 0 when not paused. */
  private pausedUntil = 0;

  constructor(
    private readonly bus: AlertBus,
    publishedThrough: bigint,
    private readonly options: AlertOutboxOptions = {},
  ) {
    this.publishedThrough = publishedThrough;
    this.loop = this.run();
  }

  /** Whether recorded alerts remain to be read from the store and published again. */
  get republishing(): boolean {
    return this.republishCursor !== null;
  }

  /**
   * Publishes again every recorded alert after store position `position` (the broker holds those at or
   * before it), reading them page by page. The watermark goes back to `position` and follows the
   * republication, so a supervisor stopped or killed halfway resumes from where it got to.
   */
  republishAfter(position: bigint): void {
    if (this.options.source === undefined) throw new Error("this outbox has no source of recorded alerts");
    if (this.republishCursor === null || position < this.republishCursor) this.republishCursor = position;
    if (this.publishedThrough > position) this.publishedThrough = position;
    this.wake?.();
  }

  /** Alerts queued, plus one while a republication still has pages to read from the store. */
  get pending(): number {
    return this.queue.length + (this.republishCursor === null ? 0 : 1);
  }

  /**
   * Queues an alert; `position` is its AlertRaised event's (NO_POSITION for one that must not move the
   * watermark). Queued positions stay ascending, so `publishedThrough` never passes an alert still queued:
   * an alert another process recorded reaches this supervisor after its own later ones, and goes in front
   * of them (and lowers a watermark that already passed it). An alert already queued is not queued twice
   * (a republication reads from the store alerts that were also queued as they were recorded); a copy
   * without a position gives way to one with it.
   */
  enqueue(alert: Alert, position: bigint): void {
    if (position > NO_POSITION && position <= this.publishedThrough) this.publishedThrough = position - 1n;
    const queued = this.queuedById.get(alert.alertId);
    if (queued !== undefined) {
      // The head is on its way and is published before anything behind it: it is as good as a new copy.
      if (queued.position > NO_POSITION || position === NO_POSITION || queued === this.queue[0]) return;
      this.queue.splice(this.queue.indexOf(queued), 1);
    }
    let index = this.queue.length;
    if (position > NO_POSITION) {
      while (index > 0) {
        // Never in front of an alert without a position: it may be one of an earlier append whose last
        // alert (the one that carries the position) is already ahead of it.
        const before = (this.queue[index - 1] as Pending).position;
        if (before === NO_POSITION || before <= position) break;
        index -= 1;
      }
    }
    const pending: Pending = { alert, position };
    // The one being published (the head) stays first: it may be on its way already.
    this.queue.splice(Math.max(index, this.queue.length === 0 ? 0 : 1), 0, pending);
    this.queuedById.set(alert.alertId, pending);
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

  /** Publishing goes on after a noticed loss (the owner called republishAfter, or found nothing lost). */
  resume(): void {
    this.pausedUntil = 0;
    this.wake?.();
  }

  /** Queues the next page of alerts to publish again, when the queue has room for it. */
  private async refill(): Promise<void> {
    const after = this.republishCursor;
    const source = this.options.source;
    // Read once half the queue's room is free, as much as fills it: at most a page queued, few reads.
    if (after === null || source === undefined || this.queue.length > REPUBLISH_PAGE_SIZE / 2) return;
    const page = await source(after, REPUBLISH_PAGE_SIZE - this.queue.length);
    // Sent back further meanwhile (another loss): the next turn reads from there.
    if (this.republishCursor !== after) return;
    for (const { alert, position } of page.alerts) this.enqueue(alert, position);
    this.republished += page.alerts.length;
    this.republishCursor = page.readThrough;
  }

  /** Notes the broker's sequence of an acknowledged publish; one not above an earlier one means a loss. */
  private acknowledged(published: PublishResult, alertId: string): void {
    const sequence = published.sequence ?? 0;
    if (sequence <= 0) return;
    if (!published.duplicate && sequence <= this.lastSequence && this.options.onStreamLoss !== undefined) {
      this.pausedUntil = Date.now() + LOSS_PAUSE_MAXIMUM_MS;
      this.options.onStreamLoss(sequence - 1);
    }
    if (sequence > this.lastSequence) {
      this.lastSequence = sequence;
      this.lastAcknowledged = { sequence, alertId };
    }
  }

  /** After a loss: sequences acknowledged so far belong to what the stream was, not what it is. */
  forgetSequences(): void {
    this.lastSequence = 0;
    this.lastAcknowledged = null;
  }

  private async run(): Promise<void> {
    while (!this.stopped) await this.turn();
  }

  /** One turn of the loop: wait while paused, read a page to republish if due, publish the head. */
  private async turn(): Promise<void> {
    const paused = this.pausedUntil - Date.now();
    if (paused > 0) return this.sleep(paused);
    try {
      await this.refill();
    } catch (error) {
      // The store refused for a moment: try again after a pause, as for a refused publish.
      this.lastError = error;
      return this.sleep(PUBLISH_RETRY_INITIAL_MS);
    }
    const next = this.queue[0];
    // Asked to republish while the last page was being read: the next turn reads the next one.
    if (next === undefined)
      return this.republishCursor === null ? this.sleep(PUBLISH_RETRY_MAXIMUM_MS) : undefined;
    try {
      this.acknowledged(await this.bus.publish(next.alert), next.alert.alertId);
      this.published(next);
    } catch (error) {
      this.lastError = error;
      this.failures += 1;
      await this.sleep(
        Math.min(PUBLISH_RETRY_INITIAL_MS * 2 ** (this.failures - 1), PUBLISH_RETRY_MAXIMUM_MS),
      );
    }
  }

  /** The head was acknowledged: off the queue, and the watermark moves past it. */
  private published(next: Pending): void {
    this.queue.shift();
    if (this.queuedById.get(next.alert.alertId) === next) this.queuedById.delete(next.alert.alertId);
    if (next.position > this.publishedThrough) this.advanceWatermark(next.position);
    this.failures = 0;
    this.lastError = null;
  }

  /** Moves the watermark to `position`, but never past an alert still queued (one queued meanwhile). */
  private advanceWatermark(position: bigint): void {
    const pending = this.queue.find((item) => item.position > NO_POSITION);
    let through = pending !== undefined && pending.position <= position ? pending.position - 1n : position;
    // Alerts after the republication's cursor are not queued yet: the watermark must not pass them.
    if (this.republishCursor !== null && through > this.republishCursor) through = this.republishCursor;
    this.publishedThrough = through;
  }

  /** Resolves once everything queued so far is published (or the outbox is stopped). */
  async drained(pollMs = 20): Promise<void> {
    while ((this.queue.length > 0 || this.republishCursor !== null) && !this.stopped)
      await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }
}
