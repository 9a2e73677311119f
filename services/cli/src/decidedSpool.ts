import { closeSync, openSync, writeSync } from "node:fs";
import { type LedgerEvent, UTF8_BYTES_PER_CODE_UNIT_MAX } from "@bukubesar/ledger-core";
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

/** How many bytes of JSON are gathered before one write: few system calls, little memory. */
export const SPOOL_WRITE_CHUNK_BYTES = 1024 * 1024;

/**
 * The decided lines of an import, kept in a temporary file (one JSON document per line) between checking
 * every line and recording them, instead of in memory: a million decided entries cost about a gigabyte
 * of heap, and the ledger state the import decides on already takes nearly as much. Events are plain
 * JSON values (strings, numbers, null, arrays, objects), so they read back exactly as they were written.
 * Each line's JSON is written into one reused buffer (a string built of a thousand lines cost more to
 * join and encode than the lines to write), and read back a batch at a time.
 */
export class DecidedSpool {
  private readonly descriptor: number;
  private readonly buffer = Buffer.allocUnsafe(SPOOL_WRITE_CHUNK_BYTES);
  private used = 0;
  private closed = false;
  count = 0;

  constructor(readonly path: string) {
    this.descriptor = openSync(path, "w");
  }

  add(line: DecidedLine): void {
    const json = `${JSON.stringify(line)}\n`;
    if (this.used + json.length * UTF8_BYTES_PER_CODE_UNIT_MAX > this.buffer.length) this.writePending();
    if (json.length * UTF8_BYTES_PER_CODE_UNIT_MAX > this.buffer.length) {
      const bytes = Buffer.from(json);
      this.writeAll(bytes, bytes.length);
    } else this.used += this.buffer.write(json, this.used);
    this.count += 1;
  }

  /** Writes what is left and closes the file; reading may start after this. */
  close(): void {
    if (this.closed) return;
    this.writePending();
    closeSync(this.descriptor);
    this.closed = true;
  }

  /** The decided lines in the order they were added, `size` at a time (the last batch may be shorter). */
  *batches(size: number): Generator<DecidedLine[]> {
    this.close();
    let batch: DecidedLine[] = [];
    for (const row of readRows(this.path)) {
      if (row === "") continue;
      batch.push(JSON.parse(row) as DecidedLine);
      if (batch.length < size) continue;
      yield batch;
      batch = [];
    }
    if (batch.length > 0) yield batch;
  }

  private writePending(): void {
    this.writeAll(this.buffer, this.used);
    this.used = 0;
  }

  private writeAll(bytes: Buffer, length: number): void {
    let written = 0;
    while (written < length) written += writeSync(this.descriptor, bytes, written, length - written);
  }
}
