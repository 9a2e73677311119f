/**
 * How the SQLite store comes back after an I/O error halted its writes (docs/reliability.md section 6,
 * #16). The connection that saw the error is never trusted again: a later fsync on the same file
 * descriptor may report success over pages the kernel already dropped. Recovery therefore opens a fresh
 * connection on the file (SQLite's WAL recovery then reads what the disk holds), checks that every stream
 * head this process acknowledged is still there, and proves a write and its fsync go through before the
 * store takes writes again.
 */
import type Database from "better-sqlite3";

/** The first wait, after the halt, before the store tries a fresh connection. */
export const SQLITE_RECOVERY_FIRST_DELAY_MS = 1_000;

/**
 * The longest wait between two tries: each failed try doubles the wait up to this. A disk that stays
 * broken is then tried twice a minute, which costs nothing, and one that heals is back within half a
 * minute at worst.
 */
export const SQLITE_RECOVERY_MAX_DELAY_MS = 30_000;

/** A stream head this process acknowledged that the file no longer holds. */
export interface LostHead {
  readonly streamId: string;
  readonly acknowledgedRevision: number;
  /** The stream's last revision in the file now ("no_stream": the stream itself is gone). */
  readonly storedRevision: number | "no_stream";
}

interface Head {
  readonly revision: number;
  readonly eventKey: Buffer | string;
}

const keysEqual = (left: Buffer | string, right: Buffer | string): boolean =>
  typeof left === "string" || typeof right === "string" ? left === right : Buffer.compare(left, right) === 0;

/**
 * The last event this process acknowledged in each stream it wrote: its revision and its stored key. One
 * entry per stream, so it stays as small as the set of streams written, whatever their length.
 */
export class AcknowledgedHeads {
  private readonly heads = new Map<string, Head>();

  record(streamId: string, revision: number, eventKey: Buffer | string): void {
    this.heads.set(streamId, { revision, eventKey });
  }

  /** The heads `database` no longer holds: the event at the acknowledged revision is gone or another one. */
  missingIn(database: Database.Database): LostHead[] {
    const eventAt = database.prepare<[string, number], { event_id: Buffer | string }>(
      "SELECT e.event_id FROM events e WHERE e.stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND e.revision = ?",
    );
    const lastRevision = database.prepare<[string], { last_revision: number }>(
      "SELECT last_revision FROM streams WHERE name = ?",
    );
    const lost: LostHead[] = [];
    for (const [streamId, head] of this.heads) {
      const stored = eventAt.get(streamId, head.revision);
      if (stored !== undefined && keysEqual(stored.event_id, head.eventKey)) continue;
      lost.push({
        streamId,
        acknowledgedRevision: head.revision,
        storedRevision: lastRevision.get(streamId)?.last_revision ?? "no_stream",
      });
    }
    return lost;
  }
}

/** A stream name no caller can write (the NUL character), used only inside the probe's transaction. */
const PROBE_STREAM = "\u0000write-probe";

/**
 * Writes a row and removes it in one transaction: the pages it touched are dirty, so the commit writes
 * them to the WAL and syncs it (synchronous=FULL) while the file's content stays as it was. Throws what
 * SQLite throws when the write or its sync fails.
 */
export const probeWriteAndSync = (database: Database.Database): void => {
  database
    .transaction(() => {
      const inserted = database
        .prepare<[string]>("INSERT INTO streams (name, last_revision) VALUES (?, -1)")
        .run(PROBE_STREAM);
      database
        .prepare<[number | bigint]>("DELETE FROM streams WHERE stream_id = ?")
        .run(inserted.lastInsertRowid);
    })
    .immediate();
};

/**
 * Copies every page the fresh connection sees into the database file and syncs it, emptying the WAL
 * (`wal_checkpoint(TRUNCATE)`); throws unless all of it was copied. A commit whose WAL sync failed can
 * still sit in the WAL with valid checksums, and the fresh connection counts it as committed while its
 * pages may exist only in the kernel's cache: the heads check and the probe would then pass over pages
 * that never reached the disk, and a crash after later commits would end the WAL's replay at that commit
 * and drop them. After this checkpoint what the heads check saw is on disk, or the try fails and is
 * tried again.
 */
export const checkpointToDatabaseFile = (database: Database.Database): void => {
  const [result] = database.pragma("wal_checkpoint(TRUNCATE)") as {
    busy: number;
    log: number;
    checkpointed: number;
  }[];
  if (result === undefined || result.busy !== 0 || result.log !== result.checkpointed) {
    throw new Error(`the WAL could not be copied into the database file: ${JSON.stringify(result)}`);
  }
};

/** What one recovery try found: writes are back, try again later, or give up (acknowledged events lost). */
export type RecoveryOutcome = "recovered" | "retry" | "lost";

/**
 * Runs `attempt` after SQLITE_RECOVERY_FIRST_DELAY_MS, then with a doubling wait up to
 * SQLITE_RECOVERY_MAX_DELAY_MS until it says "recovered" or "lost". The timer does not hold the process
 * open: a service that is stopping does not wait for its store to heal.
 */
export class RecoverySchedule {
  private timer: NodeJS.Timeout | null = null;
  private delayMs = SQLITE_RECOVERY_FIRST_DELAY_MS;

  constructor(private readonly attempt: () => RecoveryOutcome) {}

  /** Starts the tries unless they are already running. */
  start(): void {
    if (this.timer !== null) return;
    this.delayMs = SQLITE_RECOVERY_FIRST_DELAY_MS;
    this.arm();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.attempt() !== "retry") return;
      this.delayMs = Math.min(this.delayMs * 2, SQLITE_RECOVERY_MAX_DELAY_MS);
      this.arm();
    }, this.delayMs);
    this.timer.unref();
  }
}
