import type { Alert, Severity } from "@bukubesar/alerts";

export interface AlertFilter {
  /** A region prefix ("35.74") or "*" for every region. */
  readonly regionPrefix: string;
  /** Only alerts at or above this severity; all when omitted. */
  readonly minSeverity?: Severity;
}

export interface AlertSubscription {
  close(): Promise<void>;
}

export interface PublishResult {
  /** True when the bus had already seen this alert id (JetStream's PubAck duplicate flag). */
  readonly duplicate: boolean;
  /** The broker's sequence number of the message, when it has one (JetStream's PubAck seq). */
  readonly sequence?: number;
}

/**
 * Which incarnation of the broker's stream holds the alerts, and how far it goes. A stream created anew,
 * or whose last sequence is below one it acknowledged, lost alerts it had acknowledged (docs/reliability.md
 * section 6, #26).
 */
export interface BusStreamState {
  /** When the stream was created (RFC 3339, as the broker says). */
  readonly created: string;
  /** The sequence of its last message (0 when empty). */
  readonly lastSequence: number;
}

/**
 * The alert bus port: where the supervisor publishes alerts and where readers (the API's SSE stream, the
 * CLI's `alerts tail`) subscribe. Delivery is at least once; each subscription drops repeated alert ids,
 * so a handler sees every alert once. The bus is a notification transport, never the record: alerts are
 * recorded in the event store first.
 */
export interface AlertBus {
  /** Idempotent by alertId. Rejects when the bus cannot take the alert now (the caller's outbox retries). */
  publish(alert: Alert): Promise<PublishResult>;
  /** Alerts published from now on that match the filter. */
  subscribe(filter: AlertFilter, handler: (alert: Alert) => void | Promise<void>): Promise<AlertSubscription>;
  close(): Promise<void>;
  /**
   * Whether the connection to the broker is up now (for the service's metrics). Absent on a bus without
   * a broker (the in-process one), which is never disconnected.
   */
  connected?(): boolean;
  /**
   * The stream's state, creating the stream first when it is missing (all the broker's nodes lost their
   * data); rejects while the broker is away or cannot say yet (a restarting cluster: no leader for the
   * stream, or a stream it may not have recovered yet), so an answer is never a replica's lagging copy.
   * Absent on a bus that keeps nothing (the in-process one).
   */
  streamState?(): Promise<BusStreamState>;
  /**
   * The alert id (Nats-Msg-Id) of the stream's message at this sequence, null when it holds none there:
   * whether a message acknowledged earlier is still where it was. Absent on a bus that keeps nothing.
   */
  messageIdAt?(sequence: number): Promise<string | null>;
}
