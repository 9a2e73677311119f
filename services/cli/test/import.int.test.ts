import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { requestHashOf } from "@bukubesar/contract";
import { openEventStore } from "@bukubesar/event-store";
import { entryIdFor, eventIdFor, ledgerStreamId } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import {
  depositLines,
  openCooperative,
  recordCommands,
  runBukubesar,
  temporaryDirectory,
} from "./fixtures.js";

const COOP = "kkmp-mangunharjo";
const ENTRIES = 40;

/** A fresh store in a fresh directory; the command finds it through DATA_DIR, relative to that directory. */
const freshStore = async (): Promise<{ directory: string; env: NodeJS.ProcessEnv }> => {
  const directory = temporaryDirectory();
  await openCooperative(`sqlite:${join(directory, "data", "bukubesar.db")}`, COOP);
  return { directory, env: { DATA_DIR: "data", STORE_URL: "" } };
};

const trialBalanceJson = async (directory: string, env: NodeJS.ProcessEnv): Promise<unknown> => {
  const outcome = await runBukubesar(["trial-balance", "--coop", COOP, "--as-of", "2025-12-31", "--json"], {
    cwd: directory,
    env,
  });
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout);
};

describe("bukubesar import", () => {
  it("imports a JSONL file that then verifies, and records nothing twice on a re-run", async () => {
    const { directory, env } = await freshStore();
    writeFileSync(join(directory, "entries.jsonl"), `${depositLines(ENTRIES).join("\n")}\n`);

    const first = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(first.stderr).not.toContain("refused");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `Imported ${ENTRIES} entries into ${COOP} as cli:import; 0 already recorded`,
    );
    const afterFirst = await trialBalanceJson(directory, env);

    const again = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `Imported 0 entries into ${COOP} as cli:import; ${ENTRIES} already recorded`,
    );
    expect(await trialBalanceJson(directory, env)).toEqual(afterFirst);

    const verified = await runBukubesar(["verify"], { cwd: directory, env });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`${ENTRIES} posted entries`);
  });

  it("never records an entry before the stream's last event, whatever this machine's clock says", async () => {
    // Given a ledger whose last event was recorded by a server whose clock is a long way ahead of ours
    const directory = temporaryDirectory();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    const serversTime = "2099-01-01T00:00:00.000Z";
    await openCooperative(storeUrl, COOP, serversTime);
    writeFileSync(join(directory, "entries.jsonl"), `${depositLines(3).join("\n")}\n`);
    // When this machine imports, then its events are recorded no earlier (before: at this machine's time)
    const imported = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env: { DATA_DIR: "data", STORE_URL: "" },
    });
    expect(imported.code).toBe(0);
    // and it says the cooperative's recordedAt is pinned far ahead of this machine's clock
    expect(imported.stderr).toContain(`${COOP} was last recorded at ${serversTime}`);
    const store = await openEventStore(storeUrl);
    try {
      const times = (await store.readStream(ledgerStreamId(COOP))).map(
        (event) => (event.metadata as { recordedAt: string }).recordedAt,
      );
      expect(times.length).toBeGreaterThan(3);
      expect(times.every((time) => time >= serversTime)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("refuses a file with a bad line, naming line and field; after the fix the result equals one good import", async () => {
    const good = depositLines(ENTRIES);
    const bad = [...good];
    const badIndex = 17;
    bad[badIndex] = (bad[badIndex] as string).replace('"debit":"18000"', '"debit":18000');

    const broken = await freshStore();
    writeFileSync(join(broken.directory, "entries.jsonl"), `${bad.join("\n")}\n`);
    const refused = await runBukubesar(
      ["import", "--coop", COOP, "--file", "entries.jsonl", "--as", "bendahara"],
      {
        cwd: broken.directory,
        env: broken.env,
      },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`line ${badIndex + 1}, field lines[0].debit: amount_must_be_string`);
    expect(refused.stderr).toContain("Nothing was recorded");

    writeFileSync(join(broken.directory, "entries.jsonl"), `${good.join("\n")}\n`);
    const fixed = await runBukubesar(
      ["import", "--coop", COOP, "--file", "entries.jsonl", "--as", "bendahara"],
      {
        cwd: broken.directory,
        env: broken.env,
      },
    );
    expect(fixed.code).toBe(0);

    const once = await freshStore();
    writeFileSync(join(once.directory, "entries.jsonl"), `${good.join("\n")}\n`);
    expect(
      (
        await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
          cwd: once.directory,
          env: once.env,
        })
      ).code,
    ).toBe(0);

    expect(await trialBalanceJson(broken.directory, broken.env)).toEqual(
      await trialBalanceJson(once.directory, once.env),
    );
  });

  it("refuses an entry the core rejects (an unknown account), naming the line", async () => {
    const { directory, env } = await freshStore();
    const lines = depositLines(5);
    lines[2] = (lines[2] as string).replace('"account":"4101"', '"account":"9999"');
    writeFileSync(join(directory, "entries.jsonl"), `${lines.join("\n")}\n`);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/line 3, field [^:]*: unknown_account/);
  });

  it("refuses an entry that pushes a contra account to the wrong side, naming line and field, recording nothing", async () => {
    const { directory, env } = await freshStore();
    const depreciation = JSON.stringify({
      idempotencyKey: "susut-1",
      date: "2025-01-31",
      memo: "Penyusutan Januari",
      lines: [
        { account: "6107", debit: "100000" },
        { account: "1690", credit: "100000" },
      ],
    });
    const tooMuch = JSON.stringify({
      idempotencyKey: "koreksi-1",
      date: "2025-02-01",
      memo: "Koreksi berlebih",
      lines: [
        { account: "1690", debit: "100000.01" },
        { account: "6107", credit: "100000.01" },
      ],
    });
    writeFileSync(join(directory, "entries.jsonl"), `${depreciation}\n${tooMuch}\n${depositLines(1)[0]}\n`);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/line 2, field [^:]*lines[^:]*0[^:]*amount: contra_account_wrong_side/);
    // Every line is decided before any is recorded, so the good first line is not recorded either.
    expect(outcome.stderr).toContain("Nothing was recorded");
    const balances = (await trialBalanceJson(directory, env)) as { accounts: unknown[] };
    expect(balances.accounts).toEqual([]);
  });

  it("imports the documented CSV layout", async () => {
    const { directory, env } = await freshStore();
    writeFileSync(
      join(directory, "entries.csv"),
      [
        "idempotencyKey,date,memo,account,debit,credit,memberId,unit,counterparty,lineMemo",
        'csv-1,2025-03-01,"Penjualan, tunai",1101,150000,,,,,',
        "csv-1,2025-03-01,,4101,,150000,,sembako,,",
        "csv-2,2025-03-02,Penjualan,1101,2500.5,,,,,",
        "csv-2,2025-03-02,,4101,,2500.50,,,,",
      ].join("\n"),
    );
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.csv"], {
      cwd: directory,
      env,
    });
    expect(outcome.stderr).not.toContain("refused");
    expect(outcome.code).toBe(0);
    const report = (await trialBalanceJson(directory, env)) as { totals: { debit: string } };
    expect(report.totals.debit).toBe("152500.50");
  });

  it("applies the API's own body rules: an account code the API refuses is refused on its line", async () => {
    const { directory, env } = await freshStore();
    const lines = depositLines(4);
    lines[1] = (lines[1] as string).replace('"account":"1101"', '"account":"11 01"');
    writeFileSync(join(directory, "entries.jsonl"), `${lines.join("\n")}\n`);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("line 2, field lines[0].account: validation_failed");
  });

  it("refuses an Idempotency-Key with a leading space, which HTTP could never send again, and records nothing", async () => {
    // Before: the import took " dep-2" while the API refuses it, so that entry could not be retried over HTTP.
    const { directory, env } = await freshStore();
    const lines = depositLines(3);
    lines[1] = (lines[1] as string).replace('"idempotencyKey":"dep-2"', '"idempotencyKey":" dep-2"');
    writeFileSync(join(directory, "entries.jsonl"), `${lines.join("\n")}\n`);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("line 2, field idempotencyKey: idempotency_key_required");
    expect(outcome.stderr).toContain("Nothing was recorded");
    const balances = (await trialBalanceJson(directory, env)) as { accounts: unknown[] };
    expect(balances.accounts).toEqual([]);
  });

  it("takes a key repeated with the same body once, and refuses one repeated with another body", async () => {
    // The file's keys are remembered as request hashes (SeenRequests): the same body again is nothing to do.
    const { directory, env } = await freshStore();
    const lines = depositLines(3);
    writeFileSync(join(directory, "same.jsonl"), `${[...lines, lines[0]].join("\n")}\n`);
    const same = await runBukubesar(["import", "--coop", COOP, "--file", "same.jsonl"], {
      cwd: directory,
      env,
    });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`Imported 3 entries into ${COOP} as cli:import; 1 already recorded`);
    // Another body under a key met earlier in the file is refused on its line, and nothing is recorded.
    const other = (lines[1] as string)
      .replace('"debit":"2000"', '"debit":"2500"')
      .replace('"credit":"2000"', '"credit":"2500"');
    writeFileSync(
      join(directory, "other.jsonl"),
      `${[...depositLines(2, "new"), other, other].join("\n")}\n`,
    );
    const refused = await runBukubesar(["import", "--coop", COOP, "--file", "other.jsonl"], {
      cwd: directory,
      env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "line 3, field idempotencyKey: idempotency_key_reused: this key was already used",
    );
    expect(refused.stderr).toContain("Nothing was recorded");
    const withinFile = [
      depositLines(1, "twice")[0],
      (depositLines(1, "twice")[0] as string).replace("Setoran 1", "Setoran lain"),
    ];
    writeFileSync(join(directory, "twice.jsonl"), `${withinFile.join("\n")}\n`);
    const twice = await runBukubesar(["import", "--coop", COOP, "--file", "twice.jsonl"], {
      cwd: directory,
      env,
    });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(
      "line 2, field idempotencyKey: idempotency_key_reused: an earlier line has this key",
    );
  });

  it("turns entries above the approval threshold into pending proposals and stores the API's request hash", async () => {
    const { directory, env } = await freshStore();
    const storeUrl = `sqlite:${join(directory, "data", "bukubesar.db")}`;
    await recordCommands(storeUrl, COOP, [
      {
        type: "ChangeSettings",
        actor: { principalId: "test-admin", role: "admin" },
        data: { settings: { approvalThreshold: "10000000.00" } },
      },
    ]);
    const small = { date: "2025-02-01", memo: "Setoran", lines: depositBody("50000") };
    const large = { date: "2025-02-02", memo: "Pembelian besar", lines: depositBody("25000000") };
    writeFileSync(
      join(directory, "entries.jsonl"),
      `${JSON.stringify({ idempotencyKey: "small", ...small })}\n${JSON.stringify({ idempotencyKey: "large", ...large })}\n`,
    );
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(outcome.stderr).not.toContain("refused");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(
      "Imported 2 entries into kkmp-mangunharjo as cli:import (1 await approval)",
    );
    const report = (await trialBalanceJson(directory, env)) as { totals: { debit: string } };
    expect(report.totals.debit).toBe("50000.00");

    const store = await openEventStore(storeUrl);
    try {
      const proposal = await store.readEventById(eventIdFor(entryIdFor(COOP, "journal-entries", "large"), 0));
      expect(proposal?.type).toBe("JournalEntryProposed");
      // The hash of the body as sent, by the API's own function: an HTTP retry with this key is a replay.
      expect((proposal?.metadata as { requestHash?: string } | undefined)?.requestHash).toBe(
        requestHashOf("journal-entries", large),
      );
    } finally {
      await store.close();
    }
  });

  it.each([
    [
      "a duplicate key (JSON.parse would let the last value win)",
      '{"idempotencyKey":"dup-1","date":"2025-02-03","memo":"Setoran","memo":"Setoran lain","lines":[{"account":"1101","debit":"1000"},{"account":"4101","credit":"1000"}]}',
      "field /memo: duplicate_key",
    ],
    [
      "a lone surrogate (no RFC 8785 library canonicalizes it, so no auditor could check the hash)",
      '{"idempotencyKey":"sur-1","date":"2025-02-03","memo":"Setoran \\ud800","lines":[{"account":"1101","debit":"1000"},{"account":"4101","credit":"1000"}]}',
      "malformed_json",
    ],
  ])("refuses %s as the API does, recording nothing", async (_case, badLine, expected) => {
    const { directory, env } = await freshStore();
    const lines = depositLines(3);
    lines.splice(1, 0, badLine);
    writeFileSync(join(directory, "entries.jsonl"), `${lines.join("\n")}\n`);
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("line 2");
    expect(outcome.stderr).toContain(expected);
    expect(outcome.stderr).toContain("Nothing was recorded");
  });

  it("refuses bytes that are not UTF-8 as the API does, instead of recording U+FFFD", async () => {
    const { directory, env } = await freshStore();
    const [first = ""] = depositLines(1);
    const [before = "", after = ""] = first.split("Setoran 1");
    // "Setoran " followed by two bytes that are never UTF-8, inside the memo.
    const line = Buffer.concat([
      Buffer.from(`${before}Setoran `),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(after),
    ]);
    writeFileSync(join(directory, "entries.jsonl"), Buffer.concat([line, Buffer.from("\n")]));
    const outcome = await runBukubesar(["import", "--coop", COOP, "--file", "entries.jsonl"], {
      cwd: directory,
      env,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("not valid UTF-8");
    expect(outcome.stderr).toContain("Nothing was recorded");
  });
});

const depositBody = (amount: string) => [
  { account: "1101", debit: amount },
  { account: "4101", credit: amount },
];
