/**
 * Every limit the HTTP boundary enforces, named so that operators and tests can see them in one place.
 * Each one bounds the memory or time a single client request may consume (OWASP API4).
 */

import { LEDGER_CONFLICT_BACKOFF_BASE_MS, LEDGER_CONFLICT_BACKOFF_MAX_MS } from "@bukubesar/event-store";

/** A request body larger than this is refused with 413 before it is read in full; 1 MiB holds 500 long lines. */
export const BODY_BYTES_MAX = 1024 * 1024;

/** The wire formats' own bounds (JSON depth, free text) are @bukubesar/contract's; listed here with the others. */
export { JSON_DEPTH_MAX, TEXT_LENGTH_MAX } from "@bukubesar/contract";

/** Default and largest page size of every list. */
export const PAGE_SIZE_DEFAULT = 100;
export const PAGE_SIZE_MAX = 1000;

/** Requests per principal per minute when RATE_LIMIT_PER_MINUTE is not set. */
export const RATE_LIMIT_PER_MINUTE_DEFAULT = 6000;

/** The rate-limit window; Retry-After says how long until the current one ends. */
export const RATE_LIMIT_WINDOW_MS = 60_000;
/**
 * Requests without a valid token from one client address per window: enough for a person who mistyped a
 * token a few times, far too few to guess one (tokens carry 256 random bits anyway).
 */
export const UNAUTHENTICATED_REQUESTS_PER_MINUTE = 30;

/**
 * Sign-ins from one client address per window, right or wrong, counted before the token in the body is
 * read: an office whose staff all sign in at the start of the day fits, and a guesser who sends many at once
 * on many connections has no more tokens checked than this (a wrong one also counts against
 * UNAUTHENTICATED_REQUESTS_PER_MINUTE, which then pauses the address).
 */
export const SIGN_INS_PER_MINUTE = 60;

/** Seconds a client should wait before retrying while the store is unavailable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * How many times a command is decided again after another writer moved the stream first. A process whose
 * queue for a cooperative is long appends back to back on its warm cache, so the other process must be
 * patient enough to outlast that run: with 8 tries and no pause, two handlers posting 100 entries at once
 * to one cooperative left 2 or 3 of them without an answer (commandHandler.int.test.ts), 5 or 6 of 200;
 * with 16 tries and the pauses below, none of 100 or 200 (1 or 2 of 400, 200 in flight in each process).
 */
export const COMMAND_RETRIES_MAX = 16;

/**
 * The pause before deciding again after a conflict: the ledger write path's (event-store, shared with the
 * import), so a command gives up (503 store_unavailable, safe to retry with the same key) after about a
 * second of pauses at most.
 */
export const COMMAND_RETRY_BACKOFF_BASE_MS = LEDGER_CONFLICT_BACKOFF_BASE_MS;
export const COMMAND_RETRY_BACKOFF_MAX_MS = LEDGER_CONFLICT_BACKOFF_MAX_MS;

/**
 * After a conflict on a cooperative, for this long each command for it starts after a pause of up to
 * COMMAND_RETRY_BACKOFF_BASE_MS, so a process with a queue of commands leaves the other room to retry.
 */
export const CONTENTION_REMEMBERED_MS = 1_000;

/**
 * MEMORY_BUDGET_MB when unset: the estimated memory the cooperatives held in memory may take together
 * (docs/operations.md, Memory budget); the runtime, the HTTP layer and the supervisor come on top.
 */
export const MEMORY_BUDGET_MB_DEFAULT = 512;

/**
 * The estimate of a held cooperative's memory: a base (its chart of accounts in the ledger state and the
 * read model) plus a size per event of its stream. A held 2-line entry measured 897 bytes of heap
 * (docs/benchmarks.md, Memory budget); the estimate keeps about twice that for what a load leaves behind.
 */
export const HELD_COOPERATIVE_BASE_BYTES = 150_000;
export const HELD_EVENT_BYTES = 2_000;

/**
 * The serialised JSON answers of reports kept for a repeat of the same question at the same revision
 * (reportAnswers.ts), all cooperatives together; the oldest go first. 8 MiB holds a trial balance of every
 * one of thousands of small cooperatives, and is small beside MEMORY_BUDGET_MB_DEFAULT.
 */
export const REPORT_ANSWERS_BYTES_MAX = 8 * 1024 * 1024;
/** A single answer larger than this is not kept: it would push out many small ones. */
export const REPORT_ANSWER_BYTES_MAX = 256 * 1024;

/** How often the background writer looks for held cooperatives whose snapshot is behind. */
export const SNAPSHOT_WRITE_INTERVAL_MS = 1_000;

/**
 * A held cooperative's snapshot is rewritten once its log is this many events past it: a cold load then
 * replays at most about this many events after reading the snapshot.
 */
export const SNAPSHOT_TAIL_EVENTS = 500;

/** How long a report waits for the projections to include the caller's own writes. */
export const PROJECTION_WAIT_MS = 5_000;

/**
 * How long a read with `minRevision` waits for the cooperative's log (and this replica's read models) to
 * reach that revision before it answers 503 `revision_unavailable`: long enough for another replica's
 * write to become visible, short enough that a client asking for a revision that never comes is told so.
 */
export const MIN_REVISION_WAIT_MS = 5_000;

/** Between two looks at the store while a `minRevision` read waits. */
export const MIN_REVISION_POLL_MS = 50;

/** Retry-After, in seconds, of a 503 `revision_unavailable`. */
export const REVISION_RETRY_AFTER_SECONDS = 1;

/** GET /ready answers 503 when the projections are further behind than this. */
export const READY_PROJECTION_WAIT_MS = 2_000;

/** Graceful shutdown: in-flight requests get this long to finish before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * An SSE client this many alerts behind (queued here because its connection stopped taking data) is
 * disconnected; it resumes with Last-Event-ID. With alerts of about 1 KB, a stalled client costs at most a
 * few hundred KB beyond the socket's own buffers.
 */
export const SSE_ALERTS_BEHIND_MAX = 256;

/** Alert streams one principal may hold open at a time (a supervisor's tabs and a tail or two). */
export const SSE_STREAMS_PER_PRINCIPAL_MAX = 8;

/** How often open alert streams are checked against their principal: a revoked token's stream ends within it. */
export const SSE_CREDENTIAL_CHECK_MS = 1_000;

/** Retry-After, in seconds, when a principal already holds its maximum of alert streams. */
export const SSE_STREAMS_RETRY_AFTER_SECONDS = 5;

/** A browser session ends this long after sign-in (a working day and a half); then the user signs in again. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * A configured BUKUBESAR_ADMIN_TOKEN shorter than this is warned about at start. It is not refused: the
 * contract's own acceptance check starts the service with a 30-character token.
 */
export const ADMIN_TOKEN_LENGTH_RECOMMENDED = 32;

/**
 * Audited refusals (forbidden, self_approval, period_closed) one principal may have recorded per minute:
 * each writes an event to the cooperative's audit stream, so a read-only role could otherwise fill it at
 * the request rate. Beyond it the request is 429 `rate_limited` and nothing is recorded.
 */
export const REFUSALS_RECORDED_PER_MINUTE = 30;

/** A request's headers must have arrived this long after the connection (or the previous request) began. */
export const HEADERS_TIMEOUT_MS = 10_000;

/** A whole request, body included, must have arrived within this; a slower sender gets 408 and is cut off. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** How often the server checks its connections against the two limits above. */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;

/**
 * How often the running service checks the tails of the cooperatives it holds against their hash chains
 * (events another process appended since the last check; docs/reliability.md, fail-stop on tampering).
 */
export const INTEGRITY_CHECK_INTERVAL_MS = 30_000;

/**
 * After a 413 the rest of the body is read and discarded up to this many bytes, then the connection is
 * closed (httpLayer.ts): enough for what a client sends by mistake, bounded against one that never stops.
 */
export const LINGER_BYTES_MAX = 128 * 1024 * 1024;

/** …and for at most this long. */
export const LINGER_MS_MAX = 10_000;

/**
 * Open connections one client address may hold at a time (CONNECTIONS_PER_ADDRESS_MAX); a request on one
 * more is 429. Behind a reverse proxy every client shares the proxy's address: raise it there.
 */
export const CONNECTIONS_PER_ADDRESS_MAX_DEFAULT = 256;

/** Retry-After, in seconds, for a request on a connection beyond its address's limit. */
export const TOO_MANY_CONNECTIONS_RETRY_AFTER_SECONDS = 1;

/**
 * PDFs the service accepts at once, the one rendering included; one more is 503 `renderer_busy` with
 * Retry-After. One worker thread renders them in turn, off the thread that answers requests.
 */
export const PDF_RENDERS_PENDING_MAX = 4;

/** Retry-After, in seconds, when the PDF renderer is full. */
export const PDF_RENDERER_RETRY_AFTER_SECONDS = 5;

/**
 * An events page holds at most this many bytes of JSON besides its `limit` of events: a page of a
 * thousand fat entries was a 111 MB body. `nextAfter` then continues where the page stopped.
 */
export const EVENTS_PAGE_BYTES_MAX = 4 * 1024 * 1024;

/**
 * A graceful stop waits this long for requests in flight, then closes the connections still open (well
 * within SHUTDOWN_GRACE_MS, after which the process exits anyway).
 */
export const CONNECTIONS_CLOSE_GRACE_MS = 3_000;
