import type { Alert } from "@bukubesar/alerts";
import { severityRank } from "@bukubesar/alerts";
import type { AlertBus, AlertFilter, AlertSubscription, PublishResult } from "./alertBus.js";
import { InvalidRegion, isRegionPrefix, regionMatches } from "./alertSubjects.js";
import { RecentIds } from "./recentIds.js";

interface Subscriber {
  readonly filter: AlertFilter;
  readonly handler: (alert: Alert) => void | Promise<void>;
}

/**
 * The embedded bus (no NATS_URL): delivers within this process, to the API's SSE stream and to anything
 * else subscribed. Deduplicates by alert id like JetStream does. Handlers run in order per alert; a
 * failing handler is isolated from the publisher and from the other subscribers.
 */
/** Whether an alert is in the subscriber's region prefix and at or above its minimum severity. */
const passesFilter = (filter: Subscriber["filter"], alert: Alert): boolean =>
  regionMatches(filter.regionPrefix, alert.regionCode) &&
  (filter.minSeverity === undefined || severityRank(alert.severity) >= severityRank(filter.minSeverity));

export const createInProcessAlertBus = (): AlertBus => {
  const subscribers = new Set<Subscriber>();
  const published = new RecentIds();
  let closed = false;
  return {
    async publish(alert: Alert): Promise<PublishResult> {
      if (closed) throw new Error("alert bus closed");
      if (!published.firstTime(alert.alertId)) return { duplicate: true };
      for (const subscriber of [...subscribers]) {
        if (!passesFilter(subscriber.filter, alert)) continue;
        try {
          await subscriber.handler(alert);
        } catch {
          // A reader's failure is the reader's: the alert is recorded and the other readers still get it.
        }
      }
      return { duplicate: false };
    },
    async subscribe(filter, handler): Promise<AlertSubscription> {
      if (!isRegionPrefix(filter.regionPrefix)) throw new InvalidRegion(filter.regionPrefix);
      const subscriber = { filter, handler };
      subscribers.add(subscriber);
      return {
        async close() {
          subscribers.delete(subscriber);
        },
      };
    },
    async close() {
      closed = true;
      subscribers.clear();
    },
  };
};
