/**
 * Controls 7 to 10 of docs/accounting.md section 2 through `bukubesar import`: the same forbidden postings
 * as the HTTP test, each refused with its code and field path, and the ledger found unchanged.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkBody, PostJournalEntryBody, toEntryLine } from "@bukubesar/contract";
import type { LedgerCommand } from "@bukubesar/ledger-core";
import {
  CONTROL_CASES,
  CONTROL_EXIT,
  CONTROL_MEMBERS,
  CONTROL_OPENING_ENTRIES,
} from "@bukubesar/ledger-core/testing";
import { describe, expect, it } from "vitest";
import { openCooperative, recordCommands, runBukubesar, temporaryDirectory } from "./fixtures.js";

const COOP = "kkmp-kontrol";
const treasurer = { principalId: "test-treasurer", role: "treasurer" as const };

const startingLedger = (): LedgerCommand[] => [
  ...CONTROL_MEMBERS.map(
    (member): LedgerCommand => ({ type: "RegisterMember", actor: treasurer, data: { ...member } }),
  ),
  ...CONTROL_OPENING_ENTRIES.map(
    (body, index): LedgerCommand => ({
      type: "PostJournalEntry",
      actor: treasurer,
      data: {
        entryId: `opening-${index}`,
        date: body.date,
        memo: body.memo,
        lines: decodedBody(body).lines.map(toEntryLine),
      },
    }),
  ),
  { type: "ExitMember", actor: treasurer, data: { ...CONTROL_EXIT, entryId: "exit-A-0002" } },
];

/** A fixture body as the API decodes it; a fixture the codec refuses is a broken test. */
const decodedBody = (body: unknown) => {
  const checked = checkBody(PostJournalEntryBody, body);
  if (checked._tag === "Left") throw new Error(`fixture body refused: ${JSON.stringify(body)}`);
  return checked.right;
};

describe("bukubesar import refuses the forbidden postings of controls 7-10", () => {
  it("names each refused line's code and field, records nothing, and leaves the ledger as it was", async () => {
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await openCooperative(storeUrl, COOP);
    await recordCommands(storeUrl, COOP, startingLedger());
    const env = { DATA_DIR: "data", STORE_URL: "" };
    const ledgerNow = async () => {
      const outcome = await runBukubesar(
        ["trial-balance", "--coop", COOP, "--as-of", "2025-12-31", "--json"],
        { cwd: directory, env },
      );
      expect(outcome.code).toBe(0);
      return outcome.stdout;
    };
    const before = await ledgerNow();
    const lines = CONTROL_CASES.map((forbidden, index) =>
      JSON.stringify({ idempotencyKey: `terlarang-${index}`, ...forbidden.body }),
    );
    writeFileSync(join(directory, "terlarang.jsonl"), `${lines.join("\n")}\n`);

    const dry = await runBukubesar(["import", "--coop", COOP, "--file", "terlarang.jsonl", "--dry-run"], {
      cwd: directory,
      env,
    });
    expect(dry.code).toBe(1);
    for (const [index, forbidden] of CONTROL_CASES.entries()) {
      expect(dry.stderr).toContain(`line ${index + 1}, field ${forbidden.path}: ${forbidden.code}`);
    }
    expect(dry.stdout).toContain(`Dry run: ${CONTROL_CASES.length} refused line(s)`);

    const real = await runBukubesar(["import", "--coop", COOP, "--file", "terlarang.jsonl"], {
      cwd: directory,
      env,
    });
    expect(real.code).toBe(1);
    const first = CONTROL_CASES[0];
    expect(real.stderr).toContain(`line 1, field ${first?.path}: ${first?.code}`);
    expect(real.stderr).toContain("Nothing was recorded");
    expect(await ledgerNow()).toBe(before);
    const verified = await runBukubesar(["verify"], { cwd: directory, env });
    expect(verified.code).toBe(0);
  });
});
