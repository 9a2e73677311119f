import type { AlertRaisedData } from "@bukubesar/alerts";
import { ALERT_RAISED, ALERTS_STREAM_PREFIX, alertOf } from "@bukubesar/alerts";
import type { EventStore } from "@bukubesar/event-store";
import type { RecordedAlertPage, RecordedAlertSource } from "./alertOutbox.js";
import type { ProgressStream, SupervisorProgressData } from "./supervisorProgress.js";
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
export const recordedAlertSource = (store: EventStore): RecordedAlertSource => {
  return async (after, limit): Promise<RecordedAlertPage> => {
    const events = await store.readAll({ streamPrefix: ALERTS_STREAM_PREFIX, after, limit });
    const alerts = events
      .filter((event) => event.type === ALERT_RAISED)
      .map((event) => ({ alert: alertOf(event.data as AlertRaisedData), position: event.position }));
    const last = events[events.length - 1];
    return { alerts, readThrough: events.length < limit || last === undefined ? null : last.position };
  };
};

/** Whether the stream has a message with this alert id at this sequence (absent: not asked). */
export type MessageIdAt = (sequence: number) => Promise<string | null>;

/**
 * Whether a progress marker's alerts are all still in the stream: it was written for this same stream,
 * and the message it says was acknowledged last is still at its sequence (a stream loses only its tail,
 * so all before it are there too). A marker of an older version, without that message, is trusted when
 * its sequence is at most `survivedThrough`.
 */
const markerHolds = async (
  stream: ProgressStream | undefined,
  created: string,
  survivedThrough: number,
  messageIdAt: MessageIdAt | undefined,
): Promise<boolean> => {
  if (stream?.created !== created) return false;
  const acknowledged = stream.acknowledged;
  if (acknowledged === undefined || messageIdAt === undefined) return stream.lastSequence <= survivedThrough;
  if (acknowledged.sequence > survivedThrough) return false;
  return (await messageIdAt(acknowledged.sequence)) === acknowledged.alertId;
};

/**
 * The store position through which every recorded alert is still in the broker's stream after it lost
 * messages: the `publishedThrough` of the latest progress marker written for this same stream whose last
 * acknowledged message the stream still holds (markerHolds). -1 when no such marker is found (the stream
 * was created anew, or the loss goes back further than the markers looked at).
 */
export const positionStillInStream = async (
  store: EventStore,
  created: string,
  survivedThrough: number,
  messageIdAt?: MessageIdAt,
): Promise<bigint> => {
  const head = await store.streamRevision(SUPERVISOR_PROGRESS_STREAM);
  if (head === "no_stream") return NOTHING;
  // The stream lost a tail: once the message at one sequence is not the one acknowledged there, none at a
  // later sequence can be either, so the markers that name one are passed without asking the broker.
  let lostFrom = survivedThrough + 1;
  const verify =
    messageIdAt === undefined
      ? undefined
      : async (sequence: number): Promise<string | null> =>
          sequence >= lostFrom ? null : messageIdAt(sequence);
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
      if (await markerHolds(data.stream, created, survivedThrough, verify))
        return BigInt(data.publishedThrough);
      const sequence = data.stream?.acknowledged?.sequence;
      if (data.stream?.created === created && sequence !== undefined && sequence < lostFrom)
        lostFrom = sequence;
    }
    scanned += markers.length;
    fromRevision -= markers.length;
  }
  return NOTHING;
};
