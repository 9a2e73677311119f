/**
 * Measures sequential posts to ONE cooperative through the command handler (no HTTP), to see whether a
 * write's cost grows with the cooperative's history. Run from the repository root:
 *   node --conditions=source --import tsx services/ledger-api/bench/sequentialPosts.bench.ts [posts] [store-url]
 * The default store is a fresh SQLite file in a temporary directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEventStore } from "@bukubesar/event-store";
import { chartTemplates } from "@bukubesar/ledger-core";
import { createCommandHandler } from "../src/index.js";

const POSTS_DEFAULT = 10_000;
const REPORT_EVERY = 2_000;

const posts = Number(process.argv[2] ?? POSTS_DEFAULT);
const directory = mkdtempSync(join(tmpdir(), "bukubesar-bench-"));
const storeUrl = process.argv[3] ?? `sqlite:${join(directory, "bench.db")}`;
const store = await openEventStore(storeUrl);
const handler = createCommandHandler({ store });
const coopId = "kkmp-bench";
const actor = { principalId: "bench", role: "treasurer" as const };
const context = (key: string | null) => ({
  principalId: "bench",
  role: "treasurer" as const,
  route: "journal-entries",
  idempotencyKey: key,
  requestHash: key === null ? null : `hash-${key}`,
  correlationId: null,
});

await handler.execute(
  coopId,
  {
    type: "OpenLedger",
    data: { coopId, name: "KKMP Bench", regionCode: "35.74.03.1002", accounts: chartTemplates.kkmp },
    actor: { principalId: "bench", role: "admin" },
  },
  context(null),
);

const started = performance.now();
let windowStarted = started;
for (let index = 0; index < posts; index++) {
  const key = `post-${index}`;
  const entryId = handler.baseIdFor(coopId, "journal-entries", key);
  const result = await handler.execute(
    coopId,
    {
      type: "PostJournalEntry",
      data: {
        entryId,
        date: "2026-01-15",
        memo: "bench",
        lines: [
          {
            account: "1101",
            side: "debit",
            amount: "1000",
            memberId: null,
            unit: null,
            counterparty: null,
            memo: null,
          },
          {
            account: "4101",
            side: "credit",
            amount: "1000",
            memberId: null,
            unit: null,
            counterparty: null,
            memo: null,
          },
        ],
      },
      actor,
    },
    context(key),
    entryId,
  );
  if (result.kind !== "recorded") {
    // Only a rejection carries a code; the other outcomes (an id reused, a request in flight) are named.
    const reason = result.kind === "rejected" ? result.rejection.code : result.kind;
    throw new Error(`post ${index} was not recorded: ${reason}`);
  }
  if ((index + 1) % REPORT_EVERY === 0) {
    const now = performance.now();
    console.log(
      `posts ${index + 1 - REPORT_EVERY + 1}-${index + 1}: ${((now - windowStarted) / REPORT_EVERY).toFixed(3)} ms/post`,
    );
    windowStarted = now;
  }
}
const total = performance.now() - started;
console.log(
  `${posts} posts in ${(total / 1000).toFixed(2)} s: ${(posts / (total / 1000)).toFixed(0)} posts/s`,
);
await store.close();
rmSync(directory, { recursive: true, force: true });
