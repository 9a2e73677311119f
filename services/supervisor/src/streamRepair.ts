import type { AlertRaisedData } from "@bukubesar/alerts";
import { ALERT_RAISED, ALERTS_STREAM_PREFIX, alertOf } from "@bukubesar/alerts";
import type { EventStore } from "@bukubesar/event-store";
import type { RecordedAlertPage, RecordedAlertSource } from "./alertOutbox.js";
import type { SupervisorProgressData } from "./supervisorProgress.js";
import { SUPERVISOR_PROGRESS_STREAM } from "./supervisorProgress.js";

/** Progress markers read per query when looking back for the last one the broker's stream still covers. */
export const MARKER_PAGE_SIZE = 500;
/**
 * How many progress markers a search looks back at most (one per second while alerts flow: more than a
 * day's worth). Past that, every recorded alert is published again, page by page.
 */
export const MARKERS_SCANNED_MAXIMUM = 100_000;
/** Nothing is known to be in the stream: publish every recorded alert again. */
const NOTHING = -1n;

/** Reads recorded alerts for the outbox, a page of the alerts streams at a time. */
export function recordedAlertSource(store: EventStore): RecordedAlertSource {
  return async (after, limit): Promise<RecordedAlertPage> => {
    const events = await store.readAll({ streamPrefix: ALERTS_STREAM_PREFIX, after, limit });
    const alerts = events
      .filter((event) => event.type === ALERT_RAISED)
      .map((event) => ({ alert: alertOf(event.data as AlertRaisedData), position: event.position }));
    const last = events[events.length - 1];
    return { alerts, readThrough: events.length < limit || last === undefined ? null : last.position };
  };
}

/**
 * The store position through which every recorded alert is still in the broker's stream after it lost
 * messages: the `publishedThrough` of the latest progress marker written for this same stream (same
 * creation time) when its acknowledged sequence was at most `survivedThrough`. A marker says every alert
 * up to its `publishedThrough` had been acknowledged at a sequence up to its `lastSequence`, and a stream
 * loses only its tail (writes not yet synced), so those alerts are still there. -1 when no such marker is
 * found (the stream was created anew, or the loss goes back further than the markers looked at).
 */
export async function positionStillInStream(
  store: EventStore,
  created: string,
  survivedThrough: number,
): Promise<bigint> {
  const head = await store.streamRevision(SUPERVISOR_PROGRESS_STREAM);
  if (head === "no_stream") return NOTHING;
  let fromRevision = head;
  let scanned = 0;
  while (fromRevision >= 0 && scanned < MARKERS_SCANNED_MAXIMUM) {
    const markers = await store.readStream(SUPERVISOR_PROGRESS_STREAM, {
      direction: "backwards",
      fromRevision,
      limit: MARKER_PAGE_SIZE,
    });
    if (markers.length === 0) return NOTHING;
    for (const marker of markers) {
      const data = marker.data as SupervisorProgressData;
      if (data.stream?.created === created && data.stream.lastSequence <= survivedThrough)
        return BigInt(data.publishedThrough);
    }
    scanned += markers.length;
    fromRevision -= markers.length;
  }
  return NOTHING;
}
