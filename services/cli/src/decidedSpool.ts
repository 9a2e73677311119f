import { closeSync, openSync, writeSync } from "node:fs";
import type { LedgerEvent } from "@bukubesar/ledger-core";
import { readRows } from "./importFile.js";

/** A validated line ready to record: its decided events and the ids and hash they are recorded with. */
export interface DecidedLine {
  readonly lineNumber: number;
  readonly key: string;
  readonly entryId: string;
  /** The id of the entry's first event, computed once for the idempotency check and the append. */
  readonly firstEventId: string;
  readonly requestHash: string;
  readonly events: readonly LedgerEvent[];
}

/** How much JSON is gathered before one write: few system calls, little memory. */
export const SPOOL_WRITE_CHUNK_CHARACTERS = 1024 * 1024;

/**
 * The decided lines of an import, kept in a temporary file (one JSON document per line) between checking
 * every line and recording them, instead of in memory: a million decided entries cost about a gigabyte
 * of heap, and the ledger state the import decides on already takes nearly as much. Events are plain
 * JSON values (strings, numbers, null, arrays, objects), so they read back exactly as they were written.
 */
export class DecidedSpool {
  private readonly descriptor: number;
  private pending = "";
  private closed = false;
  count = 0;

  constructor(readonly path: string) {
    this.descriptor = openSync(path, "w");
  }

  add(line: DecidedLine): void {
    this.pending += `${JSON.stringify(line)}\n`;
    this.count += 1;
    if (this.pending.length >= SPOOL_WRITE_CHUNK_CHARACTERS) this.writePending();
  }

  /** Writes what is left and closes the file; reading may start after this. */
  close(): void {
    if (this.closed) return;
    this.writePending();
    closeSync(this.descriptor);
    this.closed = true;
  }

  /** The decided lines in the order they were added. */
  async *lines(): AsyncGenerator<DecidedLine> {
    this.close();
    for await (const row of readRows(this.path)) {
      if (row !== "") yield JSON.parse(row) as DecidedLine;
    }
  }

  private writePending(): void {
    if (this.pending.length > 0) writeSync(this.descriptor, this.pending);
    this.pending = "";
  }
}
