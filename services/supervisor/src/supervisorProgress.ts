import { AUDIT_STREAM_PREFIX } from "@bukubesar/alerts";
import { LEDGER_STREAM_PREFIX } from "@bukubesar/ledger-core";

/** Whether the supervisor judges events of this stream (a ledger or an audit stream). */
export const isSupervisedStream = (streamId: string): boolean => {
  return streamId.startsWith(LEDGER_STREAM_PREFIX) || streamId.startsWith(AUDIT_STREAM_PREFIX);
};

/** The supervisor's own progress markers (rules checkpoint and outbox watermark). */
export const SUPERVISOR_PROGRESS_STREAM = "supervisor-progress";
export const SUPERVISOR_PROGRESS = "SupervisorProgress";

/** The broker stream as a progress marker records it. */
export interface ProgressStream {
  readonly created: string;
  readonly lastSequence: number;
  /**
   * The message acknowledged at the highest sequence when the marker was written: every alert up to the
   * marker's `publishedThrough` was acknowledged at or below that sequence, so while the stream still
   * holds this message there, it holds them all (absent in older markers).
   */
  readonly acknowledged?: { readonly sequence: number; readonly alertId: string };
}

/**
 * `SupervisorProgress` data. `processedThrough`: every ledger event at or before this position has been
 * run through the rules and its alerts recorded. `publishedThrough`: every AlertRaised at or before this
 * store position has been confirmed published. Both are decimal strings, "-1" for nothing yet.
 */
export interface SupervisorProgressData {
  readonly processedThrough: string;
  readonly publishedThrough: string;
  /**
   * The broker stream the alerts went to and the last sequence it acknowledged, so a start finds out
   * whether the stream lost them meanwhile (absent in markers of older versions and without a broker).
   */
  readonly stream?: ProgressStream;
}
