import type { StoredEvent } from "@bukubesar/event-store";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { StreamVerification } from "../src/verifyLedgers.js";

const STREAM = "ledger-kkmp-test";

const event = (
  revision: number,
  type: string,
  prevHash: string,
  hash: string,
  data: unknown = {},
): StoredEvent => ({
  streamId: STREAM,
  revision,
  position: BigInt(revision + 1),
  eventId: `event-${revision}`,
  type,
  data,
  metadata: { prevHash, hash },
  recordedAt: "2025-01-01T00:00:00.000Z",
});

const opened = event(0, "LedgerOpened", GENESIS_PREV_HASH, "a".repeat(64), { coopId: "kkmp-test" });

/** With the hashes checked by a worker, the first bad revision is the one verifying in order names. */
describe("merging the worker's hash mismatch with the other checks", () => {
  it("names the hash mismatch when it comes before the verifier's own first problem", () => {
    const verification = new StreamVerification(STREAM, null, null, true);
    verification.accept(opened);
    verification.accept(event(1, "PeriodClosed", "a".repeat(64), "b".repeat(64), { period: "2025-01" }));
    verification.accept(event(3, "PeriodClosed", "b".repeat(64), "c".repeat(64), { period: "2025-02" }));
    const report = verification.finish({
      streamId: STREAM,
      revision: 1,
      stored: "b".repeat(64),
      recomputed: "d".repeat(64),
      error: null,
    });
    expect(report).toMatchObject({ ok: false, firstBadRevision: 1 });
    expect(report.ok === false && report.reason).toContain("hash mismatch");
  });

  it("names a broken link at the same revision before the hash, as the in-order check does", () => {
    const verification = new StreamVerification(STREAM, null, null, true);
    verification.accept(opened);
    verification.accept(event(1, "PeriodClosed", "f".repeat(64), "b".repeat(64), { period: "2025-01" }));
    const report = verification.finish({
      streamId: STREAM,
      revision: 1,
      stored: "b".repeat(64),
      recomputed: "d".repeat(64),
      error: null,
    });
    expect(report).toMatchObject({ ok: false, firstBadRevision: 1 });
    expect(report.ok === false && report.reason).toContain("prevHash");
  });

  it("names the hash mismatch before an invariant broken by the same event", () => {
    const verification = new StreamVerification(STREAM, null, null, true);
    verification.accept(opened);
    verification.accept(
      event(1, "JournalEntryPosted", "a".repeat(64), "b".repeat(64), { entryId: "e-1", lines: [] }),
    );
    const report = verification.finish({
      streamId: STREAM,
      revision: 1,
      stored: "b".repeat(64),
      recomputed: "d".repeat(64),
      error: null,
    });
    expect(report).toMatchObject({ ok: false, firstBadRevision: 1 });
    expect(report.ok === false && report.reason).toContain("hash mismatch");
  });

  it("names the verifier's problem when it comes first", () => {
    const verification = new StreamVerification(STREAM, null, null, true);
    verification.accept(opened);
    verification.accept(event(2, "PeriodClosed", "a".repeat(64), "b".repeat(64), { period: "2025-01" }));
    const report = verification.finish({
      streamId: STREAM,
      revision: 2,
      stored: "b".repeat(64),
      recomputed: "d".repeat(64),
      error: null,
    });
    expect(report).toMatchObject({ ok: false, firstBadRevision: 1 });
    expect(report.ok === false && report.reason).toContain("revision 1 is missing");
  });
});
