import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EventStore, openEventStore } from "@bukubesar/event-store";
import type { EntryLine, LedgerCommand } from "@bukubesar/ledger-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conflictBackoffMs } from "../src/commandHandler.js";
import { type CommandContext, createCommandHandler } from "../src/index.js";
import { COMMAND_RETRY_BACKOFF_BASE_MS, COMMAND_RETRY_BACKOFF_MAX_MS } from "../src/limits.js";

// Two handlers on one SQLite file stand for two processes (the service and the CLI's import): each
// decides on its own cached ledger first, so these tests pin down that a write by the other is never
// missed, whether it makes a command valid, conflicts with its revision, or already used its key.

const COOP = "kkmp-dua-proses";
/** Posts spread over two handlers at once in the contention test. */
const HOT_POSTS = 100;
const treasurer = { principalId: "bendahara", role: "treasurer" as const };

const context = (
  idempotencyKey: string | null,
  requestHash: string | null = idempotencyKey,
): CommandContext => ({
  principalId: treasurer.principalId,
  role: treasurer.role,
  route: "journal-entries",
  idempotencyKey,
  requestHash,
  correlationId: null,
});

const line = (account: string, side: "debit" | "credit", amount: string): EntryLine => ({
  account,
  side,
  amount,
  memberId: null,
  unit: null,
  counterparty: null,
  memo: null,
});

const openAccount = (code: string, accountType: "asset" | "equity"): LedgerCommand => ({
  type: "OpenAccount",
  data: { code, name: `Akun ${code}`, accountType },
  actor: treasurer,
});

const post = (entryId: string, debitAccount: string, creditAccount: string): LedgerCommand => ({
  type: "PostJournalEntry",
  data: {
    entryId,
    date: "2026-03-02",
    memo: "setoran",
    lines: [line(debitAccount, "debit", "1000.00"), line(creditAccount, "credit", "1000.00")],
  },
  actor: treasurer,
});

describe("command handlers of two processes on one store", () => {
  let directory: string;
  let store: EventStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), "bukubesar-handler-"));
    store = await openEventStore(`sqlite:${join(directory, "ledger.db")}`);
    const setup = createCommandHandler({ store });
    const opened = await setup.execute(
      COOP,
      {
        type: "OpenLedger",
        data: { coopId: COOP, name: "KKMP Dua Proses", regionCode: "35.74.03.1002" },
        actor: { principalId: "admin", role: "admin" },
      },
      { ...context(null), role: "admin", route: "cooperatives" },
    );
    expect(opened.kind).toBe("recorded");
    for (const command of [openAccount("1101", "asset"), openAccount("3200", "equity")]) {
      expect((await setup.execute(COOP, command, context(null))).kind).toBe("recorded");
    }
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("accepts a post to an account the other process opened after this one cached the ledger", async () => {
    const service = createCommandHandler({ store });
    const importer = createCommandHandler({ store });
    expect((await service.load(COOP)).state.accounts.has("1102")).toBe(false);
    expect((await importer.execute(COOP, openAccount("1102", "asset"), context(null))).kind).toBe("recorded");

    const result = await service.execute(
      COOP,
      post(service.baseIdFor(COOP, "journal-entries", "k1"), "1102", "3200"),
      context("k1"),
    );

    expect(result.kind).toBe("recorded");
  });

  it("records both posts when the two processes post one after the other on stale caches", async () => {
    const service = createCommandHandler({ store });
    const importer = createCommandHandler({ store });
    await service.load(COOP);
    await importer.load(COOP);

    const first = await importer.execute(
      COOP,
      post(importer.baseIdFor(COOP, "journal-entries", "a"), "1101", "3200"),
      context("a"),
    );
    const second = await service.execute(
      COOP,
      post(service.baseIdFor(COOP, "journal-entries", "b"), "1101", "3200"),
      context("b"),
    );

    expect(first.kind).toBe("recorded");
    expect(second.kind).toBe("recorded");
    const stream = await store.readStream(`ledger-${COOP}`);
    expect(stream.filter((event) => event.type === "JournalEntryPosted")).toHaveLength(2);
  });

  it("replays, and records nothing, when the other process already used the key with the same request", async () => {
    const service = createCommandHandler({ store });
    const importer = createCommandHandler({ store });
    await service.load(COOP);
    const entryId = importer.baseIdFor(COOP, "journal-entries", "same-key");
    const original = await importer.execute(COOP, post(entryId, "1101", "3200"), context("same-key"));
    const revisionAfterOriginal = await store.streamRevision(`ledger-${COOP}`);

    const again = await service.execute(COOP, post(entryId, "1101", "3200"), context("same-key"));

    expect(original.kind).toBe("recorded");
    expect(again.kind === "recorded" && again.replayed).toBe(true);
    expect(await store.streamRevision(`ledger-${COOP}`)).toBe(revisionAfterOriginal);
  });

  it("refuses the key as reused when the other process used it for a different request", async () => {
    const service = createCommandHandler({ store });
    const importer = createCommandHandler({ store });
    await service.load(COOP);
    const entryId = importer.baseIdFor(COOP, "journal-entries", "reused");
    await importer.execute(COOP, post(entryId, "1101", "3200"), context("reused", "hash-of-first-body"));

    // A value, not an HTTP problem: the edge maps it to 422 idempotency_key_reused.
    expect(
      await service.execute(COOP, post(entryId, "1101", "3200"), context("reused", "hash-of-another-body")),
    ).toEqual({ kind: "id_reused" });
  });
});

describe("conflict backoff", () => {
  it("waits a random time up to a doubling bound, never more than the maximum", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((retry) => conflictBackoffMs(retry, () => 1))).toEqual([
      COMMAND_RETRY_BACKOFF_BASE_MS,
      COMMAND_RETRY_BACKOFF_BASE_MS * 2,
      COMMAND_RETRY_BACKOFF_BASE_MS * 4,
      COMMAND_RETRY_BACKOFF_BASE_MS * 8,
      COMMAND_RETRY_BACKOFF_BASE_MS * 16,
      COMMAND_RETRY_BACKOFF_BASE_MS * 32,
      COMMAND_RETRY_BACKOFF_MAX_MS,
      COMMAND_RETRY_BACKOFF_MAX_MS,
    ]);
    expect(conflictBackoffMs(3, () => 0)).toBe(0);
    expect(conflictBackoffMs(3, () => 0.5)).toBe(COMMAND_RETRY_BACKOFF_BASE_MS * 4);
  });

  it("records every post when two processes hammer one cooperative", async () => {
    const directory = mkdtempSync(join(tmpdir(), "bukubesar-hot-"));
    const store = await openEventStore(`sqlite:${join(directory, "ledger.db")}`);
    try {
      const setup = createCommandHandler({ store });
      await setup.execute(
        COOP,
        {
          type: "OpenLedger",
          data: { coopId: COOP, name: "KKMP Panas", regionCode: "35.74.03.1002" },
          actor: { principalId: "admin", role: "admin" },
        },
        { ...context(null), role: "admin", route: "cooperatives" },
      );
      for (const command of [openAccount("1101", "asset"), openAccount("3200", "equity")])
        await setup.execute(COOP, command, context(null));
      const processes = [createCommandHandler({ store }), createCommandHandler({ store })];
      const results = await Promise.all(
        Array.from({ length: HOT_POSTS }, (_unused, index) => {
          const handler = processes[index % 2] as (typeof processes)[number];
          const key = `panas-${index}`;
          return handler.execute(
            COOP,
            post(handler.baseIdFor(COOP, "journal-entries", key), "1101", "3200"),
            context(key),
          );
        }),
      );
      const kinds = results.map((result) => result.kind);
      console.log(
        `hot cooperative: ${kinds.filter((kind) => kind === "contended").length} of ${HOT_POSTS} contended`,
      );
      expect(kinds.filter((kind) => kind !== "recorded")).toEqual([]);
    } finally {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
