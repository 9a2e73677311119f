import { randomUUID } from "node:crypto";
import type { EventStore, StoredEvent, Subscription } from "@bukubesar/event-store";
import { appendChained, readAllPaged } from "@bukubesar/event-store";
import { ALL_REGIONS, regionMatches } from "@bukubesar/ledger-core";
import type { Alert, Severity } from "./alert.js";
import { severityRank } from "./alert.js";
import type { AlertAcknowledgedData, AlertRaisedData } from "./alertEvents.js";
import {
  ALERT_ACKNOWLEDGED,
  ALERT_RAISED,
  ALERTS_STREAM_PREFIX,
  alertOf,
  alertsStreamId,
} from "./alertEvents.js";

/** api.md list limits. */
export const ALERTS_LIMIT_DEFAULT = 100;
export const ALERTS_LIMIT_MAX = 1_000;

export interface Acknowledgement {
  readonly note: string;
  readonly by: string;
  readonly at: string;
}

/** A listed alert: api.md's alert body plus its acknowledgements (an addition, newest last). */
export interface AlertListItem extends Alert {
  readonly acknowledgements: readonly Acknowledgement[];
}

export interface AlertQuery {
  /** A region prefix ("35.74") or "*". */
  readonly regionPrefix: string;
  /** Only alerts raised at or after this instant (inclusive). */
  readonly since?: string;
  readonly minSeverity?: Severity;
  readonly coopId?: string;
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface AlertPage {
  readonly alerts: readonly AlertListItem[];
  readonly nextCursor: string | null;
}

export interface AlertsIndex {
  /** Alerts in the order they were recorded, filtered; `nextCursor` continues after the last one. */
  list(query: AlertQuery): AlertPage;
  get(alertId: string): AlertListItem | null;
  /** Records AlertAcknowledged; null when no such alert exists. */
  /** Records an acknowledgement by `by` (its role goes into the event's metadata as it is). */
  acknowledge(
    alertId: string,
    note: string,
    by: { readonly principalId: string; readonly role: string },
  ): Promise<AlertListItem | null>;
  /**
   * Alerts recorded from now on in the region, for the SSE stream. With `afterAlertId` (the SSE
   * Last-Event-ID of a client that reconnects), the alerts recorded after that one are handed over first,
   * in recording order and in the same turn as the listener is added, so that none is lost or repeated.
   * `null` replays every alert from the first; an id this index does not know replays nothing.
   */
  stream(
    regionPrefix: string,
    handler: (alert: Alert) => void,
    minSeverity?: Severity,
    afterAlertId?: string | null,
  ): { close(): void };
  /** The id of the alert recorded last (in any region), or null before the first: where a stream starts. */
  lastAlertId(): string | null;
  close(): Promise<void>;
}

interface Indexed {
  readonly ordinal: number;
  readonly alert: Alert;
  readonly acknowledgements: Acknowledgement[];
}

export interface AlertsIndexOptions {
  readonly clock?: { now(): Date };
  readonly newId?: () => string;
}

const matches = (item: Indexed, query: AlertQuery): boolean => {
  const { alert } = item;
  if (!regionMatches(query.regionPrefix, alert.regionCode)) return false;
  if (query.coopId !== undefined && alert.coopId !== query.coopId) return false;
  if (query.minSeverity !== undefined && severityRank(alert.severity) < severityRank(query.minSeverity))
    return false;
  if (query.since !== undefined && Date.parse(alert.raisedAt) < Date.parse(query.since)) return false;
  return true;
};

const view = (item: Indexed): AlertListItem => ({
  ...item.alert,
  acknowledgements: [...item.acknowledgements],
});

interface Listener {
  readonly regionPrefix: string;
  readonly minSeverity: Severity | undefined;
  readonly handler: (alert: Alert) => void;
}

/** Whether a listener asked for this alert (its region and minimum severity). */
const wants = (listener: Listener, alert: Alert): boolean =>
  regionMatches(listener.regionPrefix, alert.regionCode) &&
  (listener.minSeverity === undefined || severityRank(alert.severity) >= severityRank(listener.minSeverity));

/** Where a resumed stream starts: after the alert a client saw last, before the first for null. */
const resumePoint = (
  byId: ReadonlyMap<string, Indexed>,
  afterAlertId: string | null | undefined,
): { readonly ordinal: number } | undefined => {
  if (afterAlertId === undefined) return undefined;
  return afterAlertId === null ? { ordinal: -1 } : byId.get(afterAlertId);
};

/** The index in memory, kept by `apply` from the store's events. */
class StoreAlertsIndex implements AlertsIndex {
  private readonly items: Indexed[] = [];
  private readonly byId = new Map<string, Indexed>();
  private readonly listeners = new Set<Listener>();
  /** Acknowledgement event ids already applied (by `acknowledge` itself or by the subscription). */
  private readonly appliedAcknowledgements = new Set<string>();
  lastPosition: bigint | undefined;
  subscription: Subscription | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly clock: { now(): Date },
    private readonly newId: () => string,
  ) {}

  apply(event: StoredEvent, live: boolean): void {
    this.lastPosition = event.position;
    if (event.type === ALERT_RAISED) this.applyRaised(alertOf(event.data as AlertRaisedData), live);
    else if (event.type === ALERT_ACKNOWLEDGED)
      this.applyAcknowledged(event.eventId, event.data as AlertAcknowledgedData);
  }

  private applyRaised(alert: Alert, live: boolean): void {
    if (this.byId.has(alert.alertId)) return;
    const item: Indexed = { ordinal: this.items.length, alert, acknowledgements: [] };
    this.items.push(item);
    this.byId.set(alert.alertId, item);
    if (!live) return;
    for (const listener of this.listeners) {
      if (!wants(listener, alert)) continue;
      try {
        listener.handler(alert);
      } catch {
        // One broken SSE client must not stop the others.
      }
    }
  }

  private applyAcknowledged(eventId: string, data: AlertAcknowledgedData): void {
    if (this.appliedAcknowledgements.has(eventId)) return;
    this.appliedAcknowledgements.add(eventId);
    this.byId
      .get(data.alertId)
      ?.acknowledgements.push({ note: data.note, by: data.by, at: data.acknowledgedAt });
  }

  list(query: AlertQuery): AlertPage {
    const limit = Math.min(Math.max(query.limit ?? ALERTS_LIMIT_DEFAULT, 1), ALERTS_LIMIT_MAX);
    const start = query.cursor === undefined ? 0 : Number.parseInt(query.cursor, 10) + 1;
    const page: Indexed[] = [];
    let next: string | null = null;
    for (let index = Number.isFinite(start) ? start : 0; index < this.items.length; index += 1) {
      const item = this.items[index];
      if (item === undefined || !matches(item, query)) continue;
      if (page.length === limit) {
        next = String(page[page.length - 1]?.ordinal);
        break;
      }
      page.push(item);
    }
    return { alerts: page.map(view), nextCursor: next };
  }

  get(alertId: string): AlertListItem | null {
    const item = this.byId.get(alertId);
    return item === undefined ? null : view(item);
  }

  async acknowledge(
    alertId: string,
    note: string,
    { principalId, role }: { readonly principalId: string; readonly role: string },
  ): Promise<AlertListItem | null> {
    const item = this.byId.get(alertId);
    if (item === undefined) return null;
    const data: AlertAcknowledgedData = {
      alertId,
      note,
      by: principalId,
      acknowledgedAt: this.clock.now().toISOString(),
    };
    const eventId = this.newId();
    await appendChained(this.store, alertsStreamId(item.alert.coopId), [
      {
        eventId,
        type: ALERT_ACKNOWLEDGED,
        data,
        metadata: { principalId, role, recordedAt: data.acknowledgedAt },
      },
    ]);
    // Applied now so the caller reads its own write; the subscription then skips it by event id.
    this.applyAcknowledged(eventId, data);
    return view(item);
  }

  stream(
    regionPrefix: string,
    handler: (alert: Alert) => void,
    minSeverity?: Severity,
    afterAlertId?: string | null,
  ): { close(): void } {
    const listener: Listener = { regionPrefix: regionPrefix || ALL_REGIONS, minSeverity, handler };
    const resumeAfter = resumePoint(this.byId, afterAlertId);
    if (resumeAfter !== undefined) {
      const query: AlertQuery = {
        regionPrefix: listener.regionPrefix,
        ...(minSeverity !== undefined ? { minSeverity } : {}),
      };
      for (const item of this.items.slice(resumeAfter.ordinal + 1))
        if (matches(item, query)) handler(view(item));
    }
    this.listeners.add(listener);
    return { close: () => void this.listeners.delete(listener) };
  }

  lastAlertId(): string | null {
    return this.items.at(-1)?.alert.alertId ?? null;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscription?.close();
  }
}

/**
 * The read model of the `alerts-*` streams: every AlertRaised with its AlertAcknowledged events, kept
 * current by a store subscription. The HTTP service serves GET /v1/alerts, the acknowledge route and the
 * SSE stream from it; it needs no bus, so it works the same with or without NATS and whether the
 * supervisor runs in the same process or its own.
 */
export const openAlertsIndex = async (
  store: EventStore,
  options: AlertsIndexOptions = {},
): Promise<AlertsIndex> => {
  const index = new StoreAlertsIndex(
    store,
    options.clock ?? { now: () => new Date() },
    options.newId ?? randomUUID,
  );
  for await (const event of readAllPaged(store, ALERTS_STREAM_PREFIX)) index.apply(event, false);
  const after = index.lastPosition;
  index.subscription = store.subscribeToAll(
    { streamPrefix: ALERTS_STREAM_PREFIX, ...(after === undefined ? {} : { after }) },
    async (event) => index.apply(event, true),
  );
  return index;
};
