/**
 * `bukubesar tag-account`: a chart opened before the control tags existed gets them from the command line,
 * by the same rules as POST …/accounts/{code}/tags; a refusal prints its code and records nothing.
 */
import { join } from "node:path";
import { chartTemplates, type LedgerCommand } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { recordCommands, runBukubesar, temporaryDirectory } from "./fixtures.js";

const COOP = "kkmp-lama";
const treasurer = { principalId: "test-treasurer", role: "treasurer" as const };
const system = { principalId: "system", role: "system" as const };

/** The kkmp chart without its tags, as a cooperative opened before them has it, and two wajib deposits. */
const oldLedger = (): LedgerCommand[] => [
  {
    type: "OpenLedger",
    actor: system,
    data: {
      coopId: COOP,
      name: "KKMP Lama",
      regionCode: "35.74.03.1002",
      accounts: chartTemplates.kkmp.map(
        ({ memberControl: _m, businessWith: _b, systemAccount: _s, ...account }) => account,
      ),
    },
  },
  {
    type: "RegisterMember",
    actor: treasurer,
    data: { memberId: "A-0001", name: "Siti", joinedOn: "2025-01-02", role: "member" },
  },
  ...["60000.00", "40000.00"].map(
    (amount, index): LedgerCommand => ({
      type: "PostJournalEntry",
      actor: treasurer,
      data: {
        entryId: `wajib-${index}`,
        date: "2025-02-01",
        memo: "simpanan wajib",
        lines: [
          {
            account: "1101",
            side: "debit",
            amount,
            memberId: null,
            unit: null,
            counterparty: null,
            memo: null,
          },
          {
            account: "3200",
            side: "credit",
            amount,
            // The second deposit was recorded without its member, as the old ledger allowed.
            memberId: index === 0 ? "A-0001" : null,
            unit: null,
            counterparty: null,
            memo: null,
          },
        ],
      },
    }),
  ),
];

describe("bukubesar tag-account", () => {
  // Eight runs of the command, each a Node start (3-5 s apiece on the shared two-core machine).
  it("refuses a tag the history contradicts, records nothing, and tags once the history fits", {
    timeout: 180_000,
  }, async () => {
    const directory = temporaryDirectory();
    await recordCommands(`sqlite:${join(directory, "data", "bukubesar.db")}`, COOP, oldLedger());
    const env = { DATA_DIR: "data", STORE_URL: "" };
    const bukubesar = (...args: string[]) => runBukubesar(args, { cwd: directory, env });
    const events = async () => {
      const verified = await bukubesar("verify");
      expect(verified.code).toBe(0);
      return verified.stdout;
    };

    const before = await events();
    const refused = await bukubesar("tag-account", "--coop", COOP, "--account", "3200", "--member-control");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "account_history_conflicts (memberControl): 40000.00 on account 3200 names no member",
    );
    expect(await events()).toBe(before);

    const usage = await bukubesar("tag-account", "--coop", COOP, "--account", "3200");
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining("give --member-control")]);

    const tagged = await bukubesar(
      "tag-account",
      "--coop",
      COOP,
      "--account",
      "4101",
      "--business-with",
      "member",
    );
    expect(tagged.code).toBe(0);
    expect(tagged.stdout).toContain('Tagged 4101 in kkmp-lama: {"code":"4101","businessWith":"member"}');
    const again = await bukubesar(
      "tag-account",
      "--coop",
      COOP,
      "--account",
      "4101",
      "--business-with",
      "non_member",
    );
    expect([again.code, again.stderr]).toEqual([
      1,
      expect.stringContaining("account_tag_locked (businessWith)"),
    ]);
    const system3500 = await bukubesar(
      "tag-account",
      "--coop",
      COOP,
      "--account",
      "3500",
      "--system-account",
    );
    expect(system3500.code).toBe(0);
    expect((await bukubesar("verify")).code).toBe(0);
  });
});
