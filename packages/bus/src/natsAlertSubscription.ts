import type { Alert } from "@bukubesar/alerts";
import { severityRank } from "@bukubesar/alerts";
import type { ConsumerMessages, JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import { DeliverPolicy } from "@nats-io/jetstream";
import type { AlertFilter, AlertSubscription } from "./alertBus.js";
import { parseAlertBody } from "./alertMessage.js";
import { alertFilterSubject } from "./alertSubjects.js";
import { RecentIds } from "./recentIds.js";
import { settlesWithin } from "./settlesWithin.js";

/** How long each pull of a subscription waits on the server before the client pulls again. */
export const SUBSCRIPTION_PULL_EXPIRES_MS = 5_000;
/** The server sends an idle heartbeat on a pending pull after this long without a message. */
export const SUBSCRIPTION_IDLE_HEARTBEAT_MS = 2_500;
/**
 * A subscription that has seen neither a message nor a heartbeat for this long (two heartbeats) assumes
 * its consumer is gone and opens a new one from the last sequence it saw. The client's own monitor is not
 * enough: it stops on disconnect and only restarts when the old consumer answers, which a consumer whose
 * only node died never does, so the subscription would wait for ever.
 */
export const SUBSCRIPTION_SILENCE_LIMIT_MS = 2 * SUBSCRIPTION_IDLE_HEARTBEAT_MS;
/** How often the watchdog looks at the time since the last sign of life. */
export const WATCHDOG_CHECK_MS = 500;
/** Pause between attempts to create a replacement consumer while the cluster elects a new leader. */
export const RESUBSCRIBE_PAUSE_MS = 250;
/**
 * How long one attempt to open a replacement consumer may take (its requests each have their own timeout,
 * this bounds them together): past it the attempt is given up, so a closed subscription stops trying.
 */
export const RESUBSCRIBE_ATTEMPT_MAXIMUM_MS = 10_000;
/** How long close() waits for the delivery loop to end (a handler that never returns cannot hold it). */
export const SUBSCRIPTION_CLOSE_MAXIMUM_MS = 5_000;

export interface SubscriptionContext {
  readonly client: JetStreamClient;
  readonly manager: JetStreamManager;
  readonly streamName: string;
  readonly subjectPrefix: string;
  /** Registers a callback run on every reconnection of the bus's connection; returns its removal. */
  onReconnect(listener: () => void): () => void;
}

const pause = (milliseconds: number): Promise<void> => {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
};

/** Whether an alert is at or above the subscriber's minimum severity (any, when it names none). */
const isAtLeast = (alert: Alert, minSeverity: AlertFilter["minSeverity"]): boolean =>
  minSeverity === undefined || severityRank(alert.severity) >= severityRank(minSeverity);

/**
 * Stops a consumer that nobody reads and reads it to its end. Its close() would not do: the client queues
 * the stop behind the messages it holds, so close() resolves only once someone reads that far, and an
 * ordered consumer not read to its end goes on recreating itself on the server.
 */
const discard = async (messages: ConsumerMessages): Promise<void> => {
  messages.stop();
  for await (const _message of messages) {
    // Dropped: the subscription was closed, or this consumer was replaced.
  }
};

/** One attempt to open a consumer, given up after RESUBSCRIBE_ATTEMPT_MAXIMUM_MS (one opened late is discarded). */
const openWithin = async (open: () => Promise<ConsumerMessages>): Promise<ConsumerMessages> => {
  const opening = open();
  if (await settlesWithin(opening, RESUBSCRIBE_ATTEMPT_MAXIMUM_MS)) return opening;
  opening.then((late) => discard(late)).catch(() => undefined);
  throw new Error(`no consumer opened within ${RESUBSCRIBE_ATTEMPT_MAXIMUM_MS} ms`);
};

/** A new consumer, tried again after a pause until one opens; null once the subscription is closed. */
const reopen = async (
  open: () => Promise<ConsumerMessages>,
  isClosed: () => boolean,
): Promise<ConsumerMessages | null> => {
  for (;;) {
    if (isClosed()) return null;
    try {
      const messages = await openWithin(open);
      // Closed while it was being opened: close() stopped the consumer before it, and nobody reads this one.
      if (!isClosed()) return messages;
      discard(messages).catch(() => undefined);
      return null;
    } catch {
      await pause(RESUBSCRIBE_PAUSE_MS);
    }
  }
};

/**
 * One subscription: an ordered consumer filtered by subject, replaced by a new one starting right after
 * the last stream sequence seen whenever it falls silent (no message and no heartbeat for
 * SUBSCRIPTION_SILENCE_LIMIT_MS) or the connection reconnects; from the new stream's start when
 * the stream was created anew meanwhile. Repeated alert ids are dropped, so the handler sees each alert
 * once across replacements.
 */
export const subscribeToAlerts = async (
  context: SubscriptionContext,
  filter: AlertFilter,
  handler: (alert: Alert) => void | Promise<void>,
): Promise<AlertSubscription> => {
  const severityToken = filter.minSeverity === "high" ? "high" : "*";
  const filterSubject = alertFilterSubject(filter.regionPrefix, context.subjectPrefix, severityToken);
  const seen = new RecentIds();
  // "From now on" is after the stream's last message at subscription time, so a replacement made before
  // the first message still starts at the right place.
  const initial = await context.manager.streams.info(context.streamName);
  let lastSequence = initial.state.last_seq;
  let streamCreated = initial.created;
  let lastSignOfLife = Date.now();
  let closed = false;

  const open = async (): Promise<ConsumerMessages> => {
    // A stream created anew since (every node lost its data) numbers from 1 again, and one that lost its
    // tail numbers its next messages from where it now ends: the supervisor republishes the lost alerts
    // there (docs/reliability.md #26), so resuming after the last sequence seen would skip them.
    const { created, state } = await context.manager.streams.info(context.streamName);
    if (created !== streamCreated) lastSequence = 0;
    else if (state.last_seq < lastSequence) lastSequence = state.last_seq;
    streamCreated = created;
    const consumer = await context.client.consumers.get(context.streamName, {
      filter_subjects: filterSubject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: lastSequence + 1,
    });
    const messages = await consumer.consume({
      expires: SUBSCRIPTION_PULL_EXPIRES_MS,
      idle_heartbeat: SUBSCRIPTION_IDLE_HEARTBEAT_MS,
    });
    lastSignOfLife = Date.now();
    (async () => {
      for await (const status of messages.status())
        if (status.type === "heartbeat") lastSignOfLife = Date.now();
    })().catch(() => undefined);
    return messages;
  };

  const deliver = async (messages: ConsumerMessages): Promise<void> => {
    try {
      for await (const message of messages) {
        lastSignOfLife = Date.now();
        lastSequence = message.seq;
        const alert = parseAlertBody(message.string());
        if (alert === null || !seen.firstTime(alert.alertId) || !isAtLeast(alert, filter.minSeverity))
          continue;
        try {
          await handler(alert);
        } catch {
          // The reader's failure stays the reader's; the subscription goes on.
        }
      }
    } catch {
      // A stopped or failed consumer: replaced by the loop unless the subscription is closed.
    }
  };

  let current = await open();
  const replace = () => current.stop();
  const stopListening = context.onReconnect(replace);
  const watchdog = setInterval(() => {
    if (Date.now() - lastSignOfLife > SUBSCRIPTION_SILENCE_LIMIT_MS) replace();
  }, WATCHDOG_CHECK_MS);
  watchdog.unref();

  const loop = (async () => {
    for (;;) {
      await deliver(current);
      const next = await reopen(open, () => closed);
      if (next === null) return;
      current = next;
    }
  })();
  return {
    async close() {
      closed = true;
      clearInterval(watchdog);
      stopListening();
      // Ends the loop's reading of the consumer (a replacement being opened is discarded by reopen). Not
      // close(): it resolves only once the loop reads up to the stop, which the wait below covers, bounded.
      current.stop();
      await settlesWithin(loop, SUBSCRIPTION_CLOSE_MAXIMUM_MS);
    },
  };
};
