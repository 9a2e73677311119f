import { readFileSync } from "node:fs";
import { checkBody, OpenAccountBody, PostJournalEntryBody } from "@bukubesar/contract";
import { rejectionCodes } from "@bukubesar/ledger-core";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/decode.js";
import { ApiProblem, PROBLEM_CODES, statusOfCode, statusOfRejection } from "../src/problem.js";

const API_MD = new URL("../../../docs/api.md", import.meta.url);

/** api.md's table of statuses and codes, as code → status. */
const documentedStatuses = (): Map<string, number> => {
  const statuses = new Map<string, number>();
  for (const row of readFileSync(API_MD, "utf8").matchAll(/^\| (\d{3}) \| (.*) \|$/gm)) {
    // Only the codes the row names, not the codes quoted inside its parenthesised notes.
    const listed = (row[2] ?? "").replaceAll(/\([^()]*(\([^()]*\)[^()]*)*\)/g, "");
    for (const code of listed.matchAll(/`([a-z_]+)`/g)) statuses.set(code[1] ?? "", Number(row[1]));
  }
  return statuses;
};

const problemOf = (run: () => unknown): ApiProblem => {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiProblem) return error;
    throw error;
  }
  throw new Error("no problem was thrown");
};

describe("the edge's problem codes", () => {
  it("answers every code api.md's table lists with the status it lists, and knows no other", () => {
    const documented = documentedStatuses();
    expect(documented.size).toBeGreaterThan(50);
    for (const [code, status] of documented) {
      expect(PROBLEM_CODES, code).toContain(code);
      expect(statusOfCode(code as (typeof PROBLEM_CODES)[number]), code).toBe(status);
    }
    const undocumented = PROBLEM_CODES.filter((code) => !documented.has(code));
    expect(undocumented).toEqual([]);
  });

  it("gives every rejection of the decider a status of its own table, not a default", () => {
    // Before: a code missing from the table silently became 422.
    expect(statusOfRejection(rejectionCodes.ApproverMustNotBeProposer)).toBe(403);
    expect(statusOfRejection(rejectionCodes.LedgerMustNotExist)).toBe(409);
    expect(statusOfRejection(rejectionCodes.EntryMustExist)).toBe(404);
    for (const code of Object.values(rejectionCodes)) expect(PROBLEM_CODES, code).toContain(code);
  });

  it("refuses an unknown code when the project compiles", () => {
    // @ts-expect-error: "no_such_code" is not a problem code, so this line would not compile without the marker.
    const unknown = new ApiProblem("no_such_code", "never answered");
    expect(unknown.status).toBeUndefined();
  });

  it("carries decode errors as values: code and message apart, nothing to split", () => {
    const unknownField = problemOf(() =>
      decodeBody(OpenAccountBody, { code: "1101", name: "Kas", type: "asset", colour: "red" }),
    );
    expect(unknownField.code).toBe("unknown_field");
    expect(unknownField.errors).toEqual([
      { path: "colour", code: "unknown_field", message: "this route does not take this field" },
    ]);
    // A message may hold a '|' now: before, everything after it was cut off.
    const tooFew = problemOf(() =>
      decodeBody(PostJournalEntryBody, { date: "2026-01-15", lines: [{ account: "1101", debit: "1" }] }),
    );
    expect(tooFew.errors[0]).toEqual({
      path: "lines",
      code: "too_few_lines",
      message: "needs at least 2 items",
    });
  });

  it("gives a refused body as a value to callers that answer no HTTP request (the CLI's import)", () => {
    // Before: the import caught the API's HTTP exception to learn the field path.
    const checked = checkBody(PostJournalEntryBody, { date: "2026-13-01", lines: [] });
    expect(checked._tag).toBe("Left");
    if (checked._tag === "Left") {
      expect(checked.left.code).toBe("too_few_lines");
      expect(checked.left.first).toEqual({
        path: "lines",
        code: "too_few_lines",
        message: "needs at least 2 items",
      });
      expect(checked.left.errors.map((error) => error.code)).toContain("invalid_date");
    }
  });
});
