/** How often the plain (non-terminal) progress line is printed, so logs stay readable. */
export const PLAIN_PROGRESS_INTERVAL_MS = 2_000;
/** How often the terminal bar is redrawn; faster only costs time. */
export const BAR_REDRAW_INTERVAL_MS = 100;
/** Width of the bar itself in characters. */
const BAR_WIDTH = 30;

export interface ProgressReporter {
  update(done: number): void;
  finish(done: number): void;
}

const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return "?";
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
};

/**
 * Progress on `stream`: a redrawn bar with count, rate and ETA on a terminal, plain lines otherwise
 * (a log file or CI gets one line every few seconds, never control characters).
 */
export const createProgress = (
  stream: NodeJS.WritableStream & { readonly isTTY?: boolean },
  label: string,
  total: number,
  now: () => number = Date.now,
): ProgressReporter => {
  const started = now();
  // Plain mode waits one interval before its first line, so short runs print only the final one.
  let lastDrawn = started;
  const describe = (done: number): string => {
    const elapsedSeconds = Math.max((now() - started) / 1000, 1e-3);
    const rate = done / elapsedSeconds;
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    return `${done}/${total} (${percent}%) ${Math.round(rate)}/s ETA ${formatDuration(eta)}`;
  };
  const tty = stream.isTTY === true;
  return {
    update(done) {
      const current = now();
      if (tty) {
        if (current - lastDrawn < BAR_REDRAW_INTERVAL_MS) return;
        lastDrawn = current;
        const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
        stream.write(
          `\r${label} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${describe(done)}\u001b[K`,
        );
      } else {
        if (current - lastDrawn < PLAIN_PROGRESS_INTERVAL_MS) return;
        lastDrawn = current;
        stream.write(`${label}: ${describe(done)}\n`);
      }
    },
    finish(done) {
      if (tty) stream.write(`\r${label} [${"#".repeat(BAR_WIDTH)}] ${describe(done)}\u001b[K\n`);
      else stream.write(`${label}: ${describe(done)}\n`);
    },
  };
};
