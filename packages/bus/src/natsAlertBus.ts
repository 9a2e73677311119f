import type { Alert } from "@bukubesar/alerts";
import type { JetStreamManager, StreamConfig, StreamInfo } from "@nats-io/jetstream";
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
import { type SubscriptionContext, subscribeToAlerts } from "./natsAlertSubscription.js";
import { settlesWithin } from "./settlesWithin.js";

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
/**
 * How long a JetStream cluster must go on answering "stream not found", answer after answer, before
 * streamState takes the stream as gone (every node lost its data) and creates it again. A restarting
 * cluster can answer so while its meta leader has not yet applied the stream's assignment from its log; a
 * stream created then is a second assignment of the same stream, with a new `created`, which reads as a
 * stream created anew, and the supervisor would publish every recorded alert again. Any other answer (the
 * stream found, a timeout, no leader) starts the count again: the cluster may have been restarting then.
 * A single server's answer is final at once.
 */
export const STREAM_MISSING_CONFIRM_MS = 10_000;
/**
 * The longest time between two "not found" answers that still count as one run of them: past it, the
 * cluster may have restarted in between unseen, and the count starts again. A caller that wants a lost
 * stream back on a cluster asks more often than this (the supervisor checks every 2 s by default, and runs
 * a check that could not judge again after half a second, until one judges).
 */
export const STREAM_MISSING_GAP_MAXIMUM_MS = 5_000;
const NANOSECONDS_PER_MILLISECOND = 1_000_000;

export interface NatsAlertBusOptions {
  readonly servers: string | readonly string[];
  readonly streamName?: string;
  readonly subjectPrefix?: string;
  readonly duplicateWindowMs?: number;
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

/**
 * The broker cannot say now what its stream holds: its replicas have no leader yet (one of them answered
 * from its own copy, which may lag), or a cluster does not know the stream and may not have recovered it
 * yet. Not a loss: the caller asks again later.
 */
export class StreamNotSettled extends Error {
  constructor(
    readonly streamName: string,
    readonly reason: string,
  ) {
    super(`JetStream stream ${streamName} cannot be judged now: ${reason}`);
    this.name = "StreamNotSettled";
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
  duplicateWindowMs: number,
  replicas: number,
  create: boolean,
): Promise<void> => {
  const subject = `${subjectPrefix}.>`;
  const duplicateWindow = duplicateWindowMs * NANOSECONDS_PER_MILLISECOND;
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
 * When the stream's absence is final: a single server's "not found" at once, a cluster's only once it has
 * answered so without a break for STREAM_MISSING_CONFIRM_MS, no two answers further apart than
 * STREAM_MISSING_GAP_MAXIMUM_MS (any other outcome starts the count again).
 */
const absenceJudge = (clustered: () => boolean) => {
  let missingSince: number | null = null;
  let lastMissing = 0;
  return {
    /** The stream was found, or the question went unanswered (a timeout, the connection away). */
    interrupted(): void {
      missingSince = null;
    },
    /** Records a "not found" answer at `now`: whether the absence is final with it. */
    isFinal(now: number): boolean {
      if (!clustered()) return true;
      if (missingSince === null || now - lastMissing > STREAM_MISSING_GAP_MAXIMUM_MS) missingSince = now;
      lastMissing = now;
      return now - missingSince >= STREAM_MISSING_CONFIRM_MS;
    },
  };
};

/** The stream's state from one answer, unless that answer came from a replica while there was no leader. */
const settledState = (streamName: string, info: StreamInfo): BusStreamState => {
  if (info.cluster !== undefined && !info.cluster.leader)
    throw new StreamNotSettled(streamName, "its replicas have no leader");
  return { created: info.created, lastSequence: info.state.last_seq };
};

/** What streamState needs of the connection: its JetStream manager, whether it is on a cluster, the time. */
export interface StreamStateSource {
  manager(): Promise<JetStreamManager>;
  clustered(): boolean;
  now(): number;
}

/**
 * The bus's streamState: the stream's state from an answer of its leader; the stream created again only
 * once its absence is final (absenceJudge), never from a restarting cluster's passing "not found".
 */
export const streamStateReader = (
  source: StreamStateSource,
  streamName: string,
  ensureStream: () => Promise<void>,
): (() => Promise<BusStreamState>) => {
  const absence = absenceJudge(source.clustered);
  const read = async (): Promise<StreamInfo> => (await source.manager()).streams.info(streamName);
  return async () => {
    let info: StreamInfo;
    try {
      info = await read();
    } catch (error) {
      if (!isNotFound(error)) {
        absence.interrupted();
        throw error;
      }
      if (!absence.isFinal(source.now()))
        throw new StreamNotSettled(streamName, "the cluster does not know it yet");
      // After all the nodes lost their data the stream is gone, and every publish fails until it is back.
      await ensureStream();
      info = await read();
    }
    absence.interrupted();
    return settledState(streamName, info);
  };
};

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
  streamState: streamStateReader(
    {
      manager: () => jetstreamManager(connection),
      clustered: () => connection.info?.cluster !== undefined,
      now: Date.now,
    },
    streamName,
    ensureStream,
  ),
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
      options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS,
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
