/**
 * The serialised JSON answers of reports, kept so that the same question asked again of a cooperative
 * nobody wrote to since is answered without building and serialising the report again (a trial balance
 * read by many clients between two postings, docs/benchmarks.md).
 *
 * An answer is kept for one held snapshot object at one revision and head hash: a posting moves the
 * revision, a cooperative let go and loaded again is another object, so neither can meet an answer made
 * before it. The question is what the report depends on besides the ledger (the dates resolved, the
 * options), never the raw query: "today" resolves to another date tomorrow. The oldest answers go first
 * beyond REPORT_ANSWERS_BYTES_MAX, and answers of older revisions are never asked for again, so they go
 * that way too.
 */
import type { LedgerSnapshot } from "@bukubesar/snapshots";
import { REPORT_ANSWER_BYTES_MAX, REPORT_ANSWERS_BYTES_MAX } from "./limits.js";

/** The media type Fastify gives a JSON answer: a kept answer is sent with the same. */
export const JSON_MEDIA_TYPE = "application/json; charset=utf-8";

export class ReportAnswers {
  /** A number per snapshot object, so that keys can name it without holding it. */
  private readonly snapshotIds = new WeakMap<LedgerSnapshot, number>();
  private nextSnapshotId = 0;
  /** Least recently kept or used first. */
  private readonly answers = new Map<string, string>();
  private bytes = 0;

  constructor(
    private readonly bytesMax: number = REPORT_ANSWERS_BYTES_MAX,
    private readonly answerBytesMax: number = REPORT_ANSWER_BYTES_MAX,
  ) {}

  /**
   * The answer to `question` about the snapshot as it is now, from the one kept or else from `build`
   * (the report, serialised as JSON), which is then kept. `revision` is the revision the report reflects,
   * read with the snapshot in the same turn as the answer is used.
   */
  answer(snapshot: LedgerSnapshot, revision: number, question: string, build: () => unknown): string {
    const key = this.keyOf(snapshot, revision, question);
    const kept = this.answers.get(key);
    if (kept !== undefined) {
      this.answers.delete(key);
      this.answers.set(key, kept);
      return kept;
    }
    const body = JSON.stringify(build());
    this.keep(key, body);
    return body;
  }

  /**
   * How many answers are kept and their estimated bytes: one a character (JSON is mostly ASCII) of each
   * answer and of its key, which names the head hash and the question and is as long as a small answer.
   */
  usage(): { readonly answers: number; readonly bytes: number } {
    return { answers: this.answers.size, bytes: this.bytes };
  }

  private keyOf(snapshot: LedgerSnapshot, revision: number, question: string): string {
    let id = this.snapshotIds.get(snapshot);
    if (id === undefined) {
      id = this.nextSnapshotId++;
      this.snapshotIds.set(snapshot, id);
    }
    return `${id}\n${revision}\n${snapshot.headHash}\n${question}`;
  }

  private keep(key: string, body: string): void {
    if (body.length > this.answerBytesMax) return;
    this.answers.set(key, body);
    this.bytes += key.length + body.length;
    for (const [oldest, kept] of this.answers) {
      if (this.bytes <= this.bytesMax) break;
      this.answers.delete(oldest);
      this.bytes -= oldest.length + kept.length;
    }
  }
}
