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

function matches(item: Indexed, query: AlertQuery): boolean {
  const { alert } = item;
  if (!regionMatches(query.regionPrefix, alert.regionCode)) return false;
  if (query.coopId !== undefined && alert.coopId !== query.coopId) return false;
  if (query.minSeverity !== undefined && severityRank(alert.severity) < severityRank(query.minSeverity))
    return false;
  if (query.since !== undefined && Date.parse(alert.raisedAt) < Date.parse(query.since)) return false;
  return true;
}

/**
 * The read model of the `alerts-*` streams: every AlertRaised with its AlertAcknowledged events, kept
 * current by a store subscription. The HTTP service serves GET /v1/alerts, the acknowledge route and the
 * SSE stream from it; it needs no bus, so it works the same with or without NATS and whether the
 * supervisor runs in the same process or its own.
 */
export async function openAlertsIndex(
  store: EventStore,
  options: AlertsIndexOptions = {},
): Promise<AlertsIndex> {
  const clock = options.clock ?? { now: () => new Date() };
  const newId = options.newId ?? randomUUID;
  const items: Indexed[] = [];
  const byId = new Map<string, Indexed>();
  const listeners = new Set<{
    regionPrefix: string;
    minSeverity: Severity | undefined;
    handler: (alert: Alert) => void;
  }>();
  let lastPosition: bigint | undefined;
  /** Acknowledgement event ids already applied (by `acknowledge` itself or by the subscription). */
  const appliedAcknowledgements = new Set<string>();

  function apply(event: StoredEvent, live: boolean): void {
    lastPosition = event.position;
    if (event.type === ALERT_RAISED) {
      const alert = alertOf(event.data as AlertRaisedData);
      if (byId.has(alert.alertId)) return;
      const item: Indexed = { ordinal: items.length, alert, acknowledgements: [] };
      items.push(item);
      byId.set(alert.alertId, item);
      if (!live) return;
      for (const listener of listeners) {
        if (!regionMatches(listener.regionPrefix, alert.regionCode)) continue;
        if (
          listener.minSeverity !== undefined &&
          severityRank(alert.severity) < severityRank(listener.minSeverity)
        )
          continue;
        try {
          listener.handler(alert);
        } catch {
          // One broken SSE client must not stop the others.
        }
      }
    } else if (event.type === ALERT_ACKNOWLEDGED) {
      const data = event.data as AlertAcknowledgedData;
      if (appliedAcknowledgements.has(event.eventId)) return;
      appliedAcknowledgements.add(event.eventId);
      byId
        .get(data.alertId)
        ?.acknowledgements.push({ note: data.note, by: data.by, at: data.acknowledgedAt });
    }
  }

  for await (const event of readAllPaged(store, ALERTS_STREAM_PREFIX)) apply(event, false);
  const subscription: Subscription = store.subscribeToAll(
    { streamPrefix: ALERTS_STREAM_PREFIX, ...(lastPosition === undefined ? {} : { after: lastPosition }) },
    async (event) => apply(event, true),
  );

  const view = (item: Indexed): AlertListItem => ({
    ...item.alert,
    acknowledgements: [...item.acknowledgements],
  });

  return {
    list(query) {
      const limit = Math.min(Math.max(query.limit ?? ALERTS_LIMIT_DEFAULT, 1), ALERTS_LIMIT_MAX);
      const start = query.cursor === undefined ? 0 : Number.parseInt(query.cursor, 10) + 1;
      const page: Indexed[] = [];
      let next: string | null = null;
      for (let index = Number.isFinite(start) ? start : 0; index < items.length; index += 1) {
        const item = items[index];
        if (item === undefined || !matches(item, query)) continue;
        if (page.length === limit) {
          next = String(page[page.length - 1]?.ordinal);
          break;
        }
        page.push(item);
      }
      return { alerts: page.map(view), nextCursor: next };
    },
    get(alertId) {
      const item = byId.get(alertId);
      return item === undefined ? null : view(item);
    },
    async acknowledge(alertId, note, { principalId, role }) {
      const item = byId.get(alertId);
      if (item === undefined) return null;
      const data: AlertAcknowledgedData = {
        alertId,
        note,
        by: principalId,
        acknowledgedAt: clock.now().toISOString(),
      };
      const eventId = newId();
      await appendChained(store, alertsStreamId(item.alert.coopId), [
        {
          eventId,
          type: ALERT_ACKNOWLEDGED,
          data,
          metadata: { principalId, role, recordedAt: data.acknowledgedAt },
        },
      ]);
      // Applied now so the caller reads its own write; the subscription then skips it by event id.
      if (!appliedAcknowledgements.has(eventId)) {
        appliedAcknowledgements.add(eventId);
        item.acknowledgements.push({ note, by: principalId, at: data.acknowledgedAt });
      }
      return view(item);
    },
    stream(regionPrefix, handler, minSeverity, afterAlertId) {
      const listener = { regionPrefix: regionPrefix || ALL_REGIONS, minSeverity, handler };
      const resumeAfter =
        afterAlertId === undefined
          ? undefined
          : afterAlertId === null
            ? { ordinal: -1 }
            : byId.get(afterAlertId);
      if (resumeAfter !== undefined) {
        const query: AlertQuery = {
          regionPrefix: listener.regionPrefix,
          ...(minSeverity !== undefined ? { minSeverity } : {}),
        };
        for (const item of items.slice(resumeAfter.ordinal + 1))
          if (matches(item, query)) handler(view(item));
      }
      listeners.add(listener);
      return { close: () => void listeners.delete(listener) };
    },
    lastAlertId() {
      return items.at(-1)?.alert.alertId ?? null;
    },
    async close() {
      listeners.clear();
      await subscription.close();
    },
  };
}
