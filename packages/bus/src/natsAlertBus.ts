import type { Alert } from "@bukubesar/alerts";
import type { JetStreamManager, StreamConfig } from "@nats-io/jetstream";
import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connect } from "@nats-io/transport-node";
import type { AlertBus, AlertSubscription, BusStreamState, PublishResult } from "./alertBus.js";
import { alertBody } from "./alertMessage.js";
import { alertSubject, DEFAULT_ALERTS_STREAM, DEFAULT_SUBJECT_PREFIX } from "./alertSubjects.js";
import { type SubscriptionContext, settlesWithin, subscribeToAlerts } from "./natsAlertSubscription.js";

/**
 * JetStream drops a repeated Nats-Msg-Id within this window. It must cover the supervisor's outbox retry
 * horizon (a crash between record and publish is republished at restart), so two minutes with margin.
 */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
/** How long a publish waits for JetStream's acknowledgement before the outbox tries again later. */
export const PUBLISH_TIMEOUT_MS = 2_000;
/** Pause between reconnection attempts while NATS is away; the client keeps trying for ever. */
export const RECONNECT_WAIT_MS = 250;
/** How long close() lets the connection drain; the server confirms a drain, which it cannot while away. */
export const DRAIN_MAXIMUM_MS = 5_000;
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

const isNotFound = (error: unknown): boolean => {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
};

/** Checks (or creates) the alert stream at start, so a mis-configured stream is reported now, not later. */
export const ensureAlertStream = async (
  manager: JetStreamManager,
  streamName: string,
  subjectPrefix: string,
  duplicateWindowMilliseconds: number,
  replicas: number,
  create: boolean,
): Promise<void> => {
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
};

export interface NatsAlertBus extends AlertBus {
  readonly streamName: string;
  readonly subjectPrefix: string;
  readonly connection: NatsConnection;
  /** Always present on JetStream (see AlertBus). */
  streamState(): Promise<BusStreamState>;
  messageIdAt(sequence: number): Promise<string | null>;
  /** How many messages the alert stream holds (for lag checks and tests). */
  streamMessageCount(): Promise<number>;
  /** The alert id (Nats-Msg-Id) of every message the stream holds, in order: for checks and tests. */
  streamAlertIds(): Promise<string[]>;
  /** Deletes the alert stream: for tests that create their own. */
  deleteStream(): Promise<void>;
}

/**
 * What the tests and the republish on recovery read of the stream itself: its size and state, the alert id
 * at a sequence, every alert id, and its deletion.
 */
const streamInspection = (
  connection: NatsConnection,
  streamName: string,
  ensureStream: () => Promise<void>,
): Pick<
  NatsAlertBus,
  "streamMessageCount" | "streamState" | "messageIdAt" | "streamAlertIds" | "deleteStream"
> => ({
  async streamMessageCount() {
    return (await (await jetstreamManager(connection)).streams.info(streamName)).state.messages;
  },
  async streamState(): Promise<BusStreamState> {
    // After all the nodes lost their data the stream is gone, and every publish fails until it is back.
    await ensureStream();
    const info = await (await jetstreamManager(connection)).streams.info(streamName);
    return { created: info.created, lastSequence: info.state.last_seq };
  },
  async messageIdAt(sequence: number): Promise<string | null> {
    const manager = await jetstreamManager(connection);
    try {
      const message = await manager.streams.getMessage(streamName, { seq: sequence });
      return message?.header?.get("Nats-Msg-Id") || null;
    } catch (error) {
      // No message at that sequence (deleted, lost, or not yet written): nothing there.
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return null;
      throw error;
    }
  },
  async streamAlertIds() {
    const manager = await jetstreamManager(connection);
    const { state } = await manager.streams.info(streamName);
    const ids: string[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
      // A deleted message leaves a gap in the sequence: nothing to read there.
      const message = await manager.streams.getMessage(streamName, { seq }).catch(() => null);
      const id = message?.header?.get("Nats-Msg-Id");
      if (id) ids.push(id);
    }
    return ids;
  },
  async deleteStream() {
    await (await jetstreamManager(connection)).streams.delete(streamName);
  },
});

/**
 * The JetStream adapter: publishes each alert on `<prefix>.<severity>.<region tokens>` with Nats-Msg-Id =
 * alertId and api.md's JSON body; subscribers get an ordered (ephemeral) consumer filtered by subject,
 * watched and replaced when it falls silent (natsAlertSubscription.ts).
 */
export const openNatsAlertBus = async (options: NatsAlertBusOptions): Promise<NatsAlertBus> => {
  const streamName = options.streamName ?? DEFAULT_ALERTS_STREAM;
  const subjectPrefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  const connection = await connect({
    servers: typeof options.servers === "string" ? options.servers.split(",") : [...options.servers],
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    name: "bukubesar-alerts",
  });
  const ensureStream = async (): Promise<void> =>
    ensureAlertStream(
      await jetstreamManager(connection),
      streamName,
      subjectPrefix,
      options.duplicateWindowMilliseconds ?? DEFAULT_DUPLICATE_WINDOW_MS,
      options.replicas ?? 1,
      options.createStream ?? true,
    );
  try {
    await ensureStream();
  } catch (error) {
    await connection.close();
    throw error;
  }
  const client = jetstream(connection, { timeout: PUBLISH_TIMEOUT_MS });
  const subscriptions = new Set<AlertSubscription>();
  const reconnectListeners = new Set<() => void>();
  // The connection is up once connect() resolved; the watcher below follows it from then on.
  let connectionUp = true;
  // One watcher of the connection for every subscription: each replaces its consumer on reconnection.
  (async () => {
    for await (const status of connection.status()) {
      if (status.type === "disconnect") connectionUp = false;
      if (status.type === "reconnect") {
        connectionUp = true;
        for (const listener of reconnectListeners) listener();
      }
    }
  })().catch(() => undefined);
  const subscriptionContext: SubscriptionContext = {
    client,
    manager: await jetstreamManager(connection),
    streamName,
    subjectPrefix,
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };

  return {
    streamName,
    subjectPrefix,
    connection,
    connected: () => connectionUp && !connection.isClosed(),
    ...streamInspection(connection, streamName, ensureStream),
    async publish(alert: Alert): Promise<PublishResult> {
      const acknowledgement = await client.publish(
        alertSubject(alert.severity, alert.regionCode, subjectPrefix),
        alertBody(alert),
        {
          msgID: alert.alertId,
          timeout: PUBLISH_TIMEOUT_MS,
        },
      );
      return { duplicate: acknowledgement.duplicate, sequence: acknowledgement.seq };
    },
    async subscribe(filter, handler): Promise<AlertSubscription> {
      const subscription = await subscribeToAlerts(subscriptionContext, filter, handler);
      subscriptions.add(subscription);
      return {
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },
    async close() {
      for (const subscription of subscriptions) await subscription.close();
      subscriptions.clear();
      const draining = connection.drain();
      if (await settlesWithin(draining, DRAIN_MAXIMUM_MS)) await draining.catch(() => connection.close());
      else await connection.close();
    },
  };
};
