/**
 * The bookkeeping behind GET /v1/alerts/stream that keeps slow, revoked and greedy clients from costing
 * the server without bound: a writer that respects the response's backpressure and gives up on a client
 * too far behind, a per-principal count of open streams, and a periodic check that each stream's
 * principal still exists (a revoked token's streams end).
 */
import type { ServerResponse } from "node:http";
import { SSE_ALERTS_BEHIND_MAX, SSE_CREDENTIAL_CHECK_MS, SSE_STREAMS_PER_PRINCIPAL_MAX } from "./limits.js";

/**
 * Writes SSE chunks to one response. While the connection does not take data (`write` returned false),
 * alert chunks wait here, and keep-alive comments are skipped; more than SSE_ALERTS_BEHIND_MAX waiting
 * alerts ends the connection, whose client resumes with Last-Event-ID.
 */
export class SseWriter {
  private readonly waiting: string[] = [];
  private blocked = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly onTooFarBehind: () => void,
  ) {}

  /** Sends an alert event (queued while blocked). */
  sendAlert(chunk: string): void {
    if (this.blocked) {
      this.waiting.push(chunk);
      if (this.waiting.length > SSE_ALERTS_BEHIND_MAX) {
        this.waiting.length = 0;
        this.onTooFarBehind();
      }
      return;
    }
    this.write(chunk);
  }

  /** Sends a comment (keep-alive); dropped while blocked, since any later byte proves the stream alive. */
  sendComment(text: string): void {
    if (!this.blocked) this.write(`: ${text}\n\n`);
  }

  private write(chunk: string): void {
    if (this.response.destroyed || this.response.writableEnded) return;
    if (!this.response.write(chunk)) {
      this.blocked = true;
      this.response.once("drain", () => this.flush());
    }
  }

  private flush(): void {
    this.blocked = false;
    while (this.waiting.length > 0 && !this.blocked) this.write(this.waiting.shift() as string);
  }
}

export interface OpenAlertStream {
  readonly principalId: string;
  /** Ends the stream after what was written so far (server shutdown). */
  end(): void;
  /** Ends the stream at once: its connection is destroyed, since a stalled client would never drain it. */
  destroy(): void;
}

/** Every open alert stream, counted per principal and checked against the live principals. */
export class AlertStreamRegistry {
  private readonly streams = new Set<OpenAlertStream>();
  private readonly perPrincipal = new Map<string, number>();
  private readonly sweep: NodeJS.Timeout;

  constructor(principalExists: (principalId: string) => boolean) {
    this.sweep = setInterval(() => {
      for (const stream of this.streams) if (!principalExists(stream.principalId)) stream.destroy();
    }, SSE_CREDENTIAL_CHECK_MS);
    this.sweep.unref();
  }

  /** Whether the principal may open another stream now. */
  hasRoomFor(principalId: string): boolean {
    return (this.perPrincipal.get(principalId) ?? 0) < SSE_STREAMS_PER_PRINCIPAL_MAX;
  }

  add(stream: OpenAlertStream): void {
    this.streams.add(stream);
    this.perPrincipal.set(stream.principalId, (this.perPrincipal.get(stream.principalId) ?? 0) + 1);
  }

  remove(stream: OpenAlertStream): void {
    if (!this.streams.delete(stream)) return;
    const count = (this.perPrincipal.get(stream.principalId) ?? 1) - 1;
    if (count === 0) this.perPrincipal.delete(stream.principalId);
    else this.perPrincipal.set(stream.principalId, count);
  }

  /** Ends every stream (server shutdown) and stops the periodic check. */
  closeAll(): void {
    clearInterval(this.sweep);
    for (const stream of [...this.streams]) stream.end();
  }
}
