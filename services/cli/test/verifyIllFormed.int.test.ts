/**
 * An event holding a lone surrogate (imports let them in before they read JSON as strictly as the API)
 * chains correctly by our own canonical JSON, but RFC 8785 libraries refuse to canonicalize it, so an
 * auditor with other tools cannot check its hash: verify names it. A line on a member control account
 * without a member (docs/accounting.md, section 2) is named the same way.
 */
import { join } from "node:path";
import type { LedgerCommand, LedgerEvent } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { firstIllFormedString } from "../src/wellFormed.js";
import {
  openCooperative,
  recordCommands,
  recordEventsAsIs,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-surrogate";
const ENV = { DATA_DIR: "data", STORE_URL: "" };

const entryWithMemo = (entryId: string, memo: string): LedgerCommand => ({
  type: "PostJournalEntry",
  actor: { principalId: "test-treasurer", role: "treasurer" },
  data: {
    entryId,
    date: "2025-03-15",
    memo,
    lines: [
      {
        account: "1101",
        side: "debit",
        amount: "1000.00",
        memberId: null,
        unit: null,
        counterparty: null,
        memo: null,
      },
      {
        account: "4101",
        side: "credit",
        amount: "1000.00",
        memberId: null,
        unit: null,
        counterparty: null,
        memo: null,
      },
    ],
  },
});

describe("verify and strings that are not well-formed Unicode", () => {
  it("finds the first string with a lone surrogate, keys included, as a JSON Pointer", () => {
    expect(firstIllFormedString({ memo: "Setoran 🙂", lines: [{ memo: "Kas" }] })).toBeNull();
    expect(firstIllFormedString({ memo: "ok", lines: [{ memo: "a\ud800b" }] })).toBe("/lines/0/memo");
    expect(firstIllFormedString({ "a/\udc00": 1 })).toBe("/a~1\udc00");
  });

  it("reports a stored event with a lone surrogate, naming cooperative, revision and field", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, [entryWithMemo("sound", "Setoran Januari")]);
    const sound = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(sound.code).toBe(0);

    await recordCommands(storeUrl, COOP, [entryWithMemo("surrogate", "Setoran \ud800")]);
    const outcome = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(outcome.stdout + outcome.stderr).toContain("lone surrogate at /data/memo");
    expect(outcome.stdout + outcome.stderr).toContain(COOP);
    expect(outcome.code).toBe(1);
  }, 60_000);
});

describe("verify and the member sub-ledgers", () => {
  it("reports a line on a member control account without a member, naming entry, line and account", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    const wajibOf = (entryId: string, memberId: string | null): LedgerEvent => ({
      type: "JournalEntryPosted",
      data: {
        entryId,
        kind: "regular",
        date: "2025-03-05",
        memo: "Simpanan wajib",
        lines: [
          {
            account: "1101",
            side: "debit",
            amount: "25000.00",
            memberId: null,
            unit: null,
            counterparty: null,
            memo: null,
          },
          {
            account: "3200",
            side: "credit",
            amount: "25000.00",
            memberId,
            unit: null,
            counterparty: null,
            memo: null,
          },
        ],
        postedBy: "test-treasurer",
        proposedBy: null,
        reverses: null,
      },
    });
    await recordCommands(storeUrl, COOP, [
      {
        type: "RegisterMember",
        actor: { principalId: "test-treasurer", role: "treasurer" },
        data: { memberId: "A-0001", name: "Siti", joinedOn: "2025-01-02", role: "member" },
      },
    ]);
    await recordEventsAsIs(storeUrl, COOP, [wajibOf("named", "A-0001")]);
    expect((await runBukubesar(["verify"], { cwd: directory, env: ENV })).code).toBe(0);
    // Written around the decider (which refuses it with member_required): the chain is sound, the sub-ledger is not.
    await recordEventsAsIs(storeUrl, COOP, [wajibOf("unnamed", null)]);
    const outcome = await runBukubesar(["verify"], { cwd: directory, env: ENV });
    expect(outcome.stdout + outcome.stderr).toContain(
      "entry unnamed line 2 posts to member control account 3200 without a member",
    );
    expect(outcome.code).toBe(1);
  }, 60_000);
});
