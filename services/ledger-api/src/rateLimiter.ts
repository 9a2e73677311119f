/**
 * A fixed-window request counter per principal. Memory is bounded by the number of principals active in
 * the current window: windows that ended are dropped as soon as a new one starts.
 */
import { RATE_LIMIT_WINDOW_MS } from "./limits.js";

export class RateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limitPerWindow: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Counts a request; returns 0 when allowed, else the seconds until the window ends. */
  take(principalId: string): number {
    const now = this.nowMs();
    if (now - this.windowStart >= RATE_LIMIT_WINDOW_MS) {
      this.windowStart = now - (now % RATE_LIMIT_WINDOW_MS);
      this.counts = new Map();
    }
    const count = (this.counts.get(principalId) ?? 0) + 1;
    this.counts.set(principalId, count);
    if (count <= this.limitPerWindow) return 0;
    return Math.max(1, Math.ceil((this.windowStart + RATE_LIMIT_WINDOW_MS - now) / 1000));
  }
}
