import type { Alert } from "@bukubesar/supervision";
import { severityRank } from "@bukubesar/supervision";
import type { ConsumerMessages, JetStreamManager, StreamConfig } from "@nats-io/jetstream";
import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connect } from "@nats-io/transport-node";
import type { AlertBus, AlertSubscription, PublishResult } from "./alertBus.js";
import { alertBody, parseAlertBody } from "./alertMessage.js";
import {
  alertFilterSubject,
  alertSubject,
  DEFAULT_ALERTS_STREAM,
  DEFAULT_SUBJECT_PREFIX,
} from "./alertSubjects.js";
import { RecentIds } from "./recentIds.js";

/**
 * JetStream drops a repeated Nats-Msg-Id within this window. It must cover the supervisor's outbox retry
 * horizon (a crash between record and publish is republished at restart), so two minutes with margin.
 */
export const DEFAULT_DUPLICATE_WINDOW_MILLISECONDS = 120_000;
/** How long a publish waits for JetStream's acknowledgement before the outbox tries again later. */
export const PUBLISH_TIMEOUT_MILLISECONDS = 2_000;
/** Pause between reconnection attempts while NATS is away; the client keeps trying for ever. */
export const RECONNECT_WAIT_MILLISECONDS = 250;
/**
 * How long each pull of a subscription waits on the server. The client derives its idle heartbeat from it
 * (half) and recreates an ordered consumer after two missed heartbeats, so this bounds how long a
 * subscriber stalls when the node holding its consumer dies (about 5 s instead of the client's 30 s default).
 */
export const SUBSCRIPTION_PULL_EXPIRES_MILLISECONDS = 5_000;
/** Missed idle heartbeats after which a subscription replaces its consumer (the node holding it is gone). */
export const HEARTBEATS_MISSED_BEFORE_RESUBSCRIBE = 2;
/** Pause between attempts to create a replacement consumer while the cluster elects a new leader. */
export const RESUBSCRIBE_PAUSE_MILLISECONDS = 250;
const NANOSECONDS_PER_MILLISECOND = 1_000_000;

export interface NatsAlertBusOptions {
  readonly servers: string | readonly string[];
  readonly streamName?: string;
  readonly subjectPrefix?: string;
  readonly duplicateWindowMilliseconds?: number;
  /** Stream replicas (3 for an R3 cluster); 1 by default. */
  readonly replicas?: number;
  /** Create the stream when it is missing (default true); false only checks it. */
  readonly createStream?: boolean;
}

export class AlertStreamMisconfigured extends Error {
  constructor(
    readonly streamName: string,
    readonly problems: readonly string[],
  ) {
    super(`JetStream stream ${streamName} is mis-configured: ${problems.join("; ")}`);
    this.name = "AlertStreamMisconfigured";
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

/** Checks (or creates) the alert stream at start, so a mis-configured stream is reported now, not later. */
export async function ensureAlertStream(
  manager: JetStreamManager,
  streamName: string,
  subjectPrefix: string,
  duplicateWindowMilliseconds: number,
  replicas: number,
  create: boolean,
): Promise<void> {
  const subject = `${subjectPrefix}.>`;
  const duplicateWindow = duplicateWindowMilliseconds * NANOSECONDS_PER_MILLISECOND;
  let config: StreamConfig;
  try {
    config = (await manager.streams.info(streamName)).config;
  } catch (error) {
    if (!isNotFound(error) || !create) throw error;
    await manager.streams.add({
      name: streamName,
      subjects: [subject],
      storage: StorageType.File,
      duplicate_window: duplicateWindow,
      num_replicas: replicas,
    });
    return;
  }
  const problems: string[] = [];
  if (!config.subjects?.includes(subject))
    problems.push(`subjects ${JSON.stringify(config.subjects)} lack ${subject}`);
  if (config.storage !== StorageType.File) problems.push(`storage is ${config.storage}, not file`);
  if ((config.duplicate_window ?? 0) < duplicateWindow) {
    problems.push(`duplicate_window ${config.duplicate_window}ns is shorter than ${duplicateWindow}ns`);
  }
  if (config.num_replicas < replicas)
    problems.push(`num_replicas ${config.num_replicas} is below ${replicas}`);
  if (problems.length > 0) throw new AlertStreamMisconfigured(streamName, problems);
}

export interface NatsAlertBus extends AlertBus {
  readonly streamName: string;
  readonly subjectPrefix: string;
  readonly connection: NatsConnection;
  /** How many messages the alert stream holds (for lag checks and tests). */
  streamMessageCount(): Promise<number>;
  /** Deletes the alert stream: for tests that create their own. */
  deleteStream(): Promise<void>;
}

/**
 * The JetStream adapter: publishes each alert on `<prefix>.<severity>.<region tokens>` with Nats-Msg-Id =
 * alertId and api.md's JSON body; subscribers get an ordered (ephemeral) consumer filtered by subject.
 */
export async function openNatsAlertBus(options: NatsAlertBusOptions): Promise<NatsAlertBus> {
  const streamName = options.streamName ?? DEFAULT_ALERTS_STREAM;
  const subjectPrefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  const connection = await connect({
    servers: typeof options.servers === "string" ? options.servers.split(",") : [...options.servers],
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MILLISECONDS,
    name: "bukubesar-alerts",
  });
  try {
    await ensureAlertStream(
      await jetstreamManager(connection),
      streamName,
      subjectPrefix,
      options.duplicateWindowMilliseconds ?? DEFAULT_DUPLICATE_WINDOW_MILLISECONDS,
      options.replicas ?? 1,
      options.createStream ?? true,
    );
  } catch (error) {
    await connection.close();
    throw error;
  }
  const client = jetstream(connection, { timeout: PUBLISH_TIMEOUT_MILLISECONDS });
  const subscriptions = new Set<ConsumerMessages>();

  return {
    streamName,
    subjectPrefix,
    connection,
    async streamMessageCount() {
      return (await (await jetstreamManager(connection)).streams.info(streamName)).state.messages;
    },
    async deleteStream() {
      await (await jetstreamManager(connection)).streams.delete(streamName);
    },
    async publish(alert: Alert): Promise<PublishResult> {
      const acknowledgement = await client.publish(
        alertSubject(alert.severity, alert.regionCode, subjectPrefix),
        alertBody(alert),
        {
          msgID: alert.alertId,
          timeout: PUBLISH_TIMEOUT_MILLISECONDS,
        },
      );
      return { duplicate: acknowledgement.duplicate };
    },
    async subscribe(filter, handler): Promise<AlertSubscription> {
      const severityToken = filter.minSeverity === "high" ? "high" : "*";
      const filterSubject = alertFilterSubject(filter.regionPrefix, subjectPrefix, severityToken);
      const seen = new RecentIds();
      /** The stream sequence of the last message seen, so a new consumer resumes right after it. */
      let lastSequence = 0;
      let closed = false;

      const open = async (): Promise<ConsumerMessages> => {
        const consumer = await client.consumers.get(streamName, {
          filter_subjects: filterSubject,
          ...(lastSequence === 0
            ? { deliver_policy: DeliverPolicy.New }
            : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastSequence + 1 }),
        });
        const messages = await consumer.consume({ expires: SUBSCRIPTION_PULL_EXPIRES_MILLISECONDS });
        subscriptions.add(messages);
        // The ordered consumer is R1: when the node holding it dies, nats-server 2.9 answers its info
        // request with no "consumer not found", so the client never recreates it. Watch the heartbeats and
        // replace the consumer ourselves; the subscriber's dedupe drops any message seen twice.
        (async () => {
          for await (const status of messages.status()) {
            if (status.type === "heartbeats_missed" && status.count >= HEARTBEATS_MISSED_BEFORE_RESUBSCRIBE) {
              messages.stop();
              return;
            }
          }
        })().catch(() => undefined);
        return messages;
      };

      const drain = async (messages: ConsumerMessages): Promise<void> => {
        try {
          for await (const message of messages) {
            lastSequence = message.seq;
            const alert = parseAlertBody(message.string());
            if (alert === null || !seen.firstTime(alert.alertId)) continue;
            if (
              filter.minSeverity !== undefined &&
              severityRank(alert.severity) < severityRank(filter.minSeverity)
            )
              continue;
            try {
              await handler(alert);
            } catch {
              // The reader's failure stays the reader's; the subscription goes on.
            }
          }
        } catch {
          // A stopped or failed consumer: replaced below unless the subscription is closed.
        } finally {
          subscriptions.delete(messages);
        }
      };

      let current = await open();
      const loop = (async () => {
        for (;;) {
          await drain(current);
          if (closed) return;
          for (;;) {
            try {
              current = await open();
              break;
            } catch {
              if (closed) return;
              await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_PAUSE_MILLISECONDS));
            }
          }
        }
      })();
      return {
        async close() {
          closed = true;
          await current.close().catch(() => undefined);
          await loop;
        },
      };
    },
    async close() {
      for (const messages of subscriptions) await messages.close();
      subscriptions.clear();
      await connection.drain().catch(() => connection.close());
    },
  };
}
