import {
  CreateCooperativeBody,
  IdempotencyKey,
  OpenAccountBody,
  PostJournalEntryBody,
  RegisterMemberBody,
} from "@bukubesar/contract";
import {
  decide,
  foldLedger,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  type LedgerCommand,
  type LedgerState,
} from "@bukubesar/ledger-core";
import { kkmpLedger, treasurer } from "@bukubesar/ledger-core/testing";
import { fc, test } from "@fast-check/vitest";
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/decode.js";
import { ApiProblem } from "../src/problem.js";

/**
 * The HTTP codecs and the decider share one vocabulary (ledger-core's vocabulary.ts): what the API's codec
 * accepts, the decider never refuses for a malformed field, and the drifts that once let a value through
 * the edge only for the decider to refuse it are each pinned here.
 */

const state: LedgerState = foldLedger(kkmpLedger());

/** The problem `decodeBody` throws for a body, or null when the body decodes. */
const refusalOf = <A>(codec: t.Type<A, unknown, unknown>, body: unknown): ApiProblem | null => {
  try {
    decodeBody(codec, body);
    return null;
  } catch (error) {
    if (error instanceof ApiProblem) return error;
    throw error;
  }
};

const openAccount = (body: { code: string; name: string }): LedgerCommand => ({
  type: "OpenAccount",
  data: { code: body.code, name: body.name, accountType: "asset" },
  actor: treasurer,
});

/** Rejections that say a field is malformed (as opposed to a rule of the ledger refusing a good value). */
const MALFORMED_FIELD_TAGS = new Set(["FieldMustBeValid", "RegionCodeMustBeValid", "DateMustBeValid"]);

const malformedFieldOf = (command: LedgerCommand, given: LedgerState): string | null => {
  const decision = decide(command, given);
  return E.isLeft(decision) && MALFORMED_FIELD_TAGS.has(decision.left._tag)
    ? `${decision.left._tag} at ${decision.left.path ?? ""}: ${decision.left.message}`
    : null;
};

describe("one vocabulary for the edge and the decider", () => {
  it("refuses the account code 11_01 at the API with 422 at /code, as the decider does", () => {
    // Before: the codec allowed '_' and the decider refused it, so the OpenAPI document promised a code
    // the ledger could never hold.
    const refused = refusalOf(OpenAccountBody, { code: "11_01", name: "Kas", type: "asset" });
    expect(refused?.status).toBe(422);
    expect(refused?.code).toBe("validation_failed");
    expect(refused?.errors.map((error) => error.path)).toEqual(["code"]);
    expect(malformedFieldOf(openAccount({ code: "11_01", name: "Kas" }), state)).toMatch(
      /^FieldMustBeValid at code/,
    );
  });

  it("refuses a line naming account 11_01 at its field path", () => {
    const refused = refusalOf(PostJournalEntryBody, {
      date: "2026-01-15",
      lines: [
        { account: "11_01", debit: "1000" },
        { account: "3200", credit: "1000" },
      ],
    });
    expect(refused?.status).toBe(422);
    expect(refused?.errors.map((error) => error.path)).toEqual(["lines[0].account"]);
  });

  it("holds names to the decider's 200 characters, and refuses a blank one", () => {
    // Before: the codec allowed 1,000 characters and spaces only, and the decider refused both.
    const long = "K".repeat(201);
    for (const name of [long, "   "]) {
      const refused = refusalOf(RegisterMemberBody, { memberId: "A-1", name, joinedOn: "2026-01-02" });
      expect(refused?.status, name).toBe(422);
      expect(refused?.errors.map((error) => error.path)).toEqual(["name"]);
    }
    const longest = { memberId: "A-1", name: "K".repeat(200), joinedOn: "2026-01-02" };
    expect(refusalOf(RegisterMemberBody, longest)).toBeNull();
  });

  it("refuses a date past the decider's last year at the edge", () => {
    // Before: the codec took any year from 1900 on and the decider refused years after 2999.
    const refused = refusalOf(RegisterMemberBody, { memberId: "A-1", name: "Siti", joinedOn: "3000-01-01" });
    expect(refused?.code).toBe("invalid_date");
    expect(refused?.errors.map((error) => error.path)).toEqual(["joinedOn"]);
  });

  it("refuses an Idempotency-Key that begins or ends with a space, which HTTP could never send again", () => {
    expect(E.isLeft(IdempotencyKey.decode(" setoran-1"))).toBe(true);
    expect(E.isLeft(IdempotencyKey.decode("setoran-1 "))).toBe(true);
    expect(E.isRight(IdempotencyKey.decode("setoran 1"))).toBe(true);
    expect(E.isRight(IdempotencyKey.decode("k".repeat(IDEMPOTENCY_KEY_LENGTH_MAX)))).toBe(true);
    expect(E.isLeft(IdempotencyKey.decode("k".repeat(IDEMPOTENCY_KEY_LENGTH_MAX + 1)))).toBe(true);
  });

  it("reads amounts with parseMoney: each malformed amount is refused with what is wrong", () => {
    const lineWith = (debit: unknown) => ({
      date: "2026-01-15",
      lines: [
        { account: "1101", debit },
        { account: "3200", credit: "1000" },
      ],
    });
    const cases: readonly [unknown, string, string][] = [
      [1000, "amount_must_be_string", "amounts are decimal strings, not numbers"],
      [" 1000", "invalid_amount", "must not contain spaces"],
      ["1e3", "invalid_amount", "must not use exponent notation"],
      ["-1000", "invalid_amount", "must not have a sign; debit or credit gives the direction"],
      [
        "1000.001",
        "invalid_amount",
        "must be a positive decimal with at most 15 digits and 2 fraction digits",
      ],
      ["0.00", "invalid_amount", "must be more than zero"],
      [null, "invalid_amount", 'must be a decimal string like "50000.00"'],
    ];
    for (const [amount, code, message] of cases) {
      const refused = refusalOf(PostJournalEntryBody, lineWith(amount));
      expect(refused?.errors[0], String(amount)).toEqual({ path: "lines[0].debit", code, message });
    }
    const decoded = decodeBody(PostJournalEntryBody, lineWith("1000.5"));
    expect(decoded.lines[0]?.debit).toBe("1000.50");
  });

  /** Strings over the characters the identifiers' rules tell apart, so both sides of every rule are tried. */
  const identifierLike = fc.string({
    unit: fc.constantFrom(..."aZ09._-: \u00e9".split("")),
    minLength: 0,
    maxLength: 70,
  });

  test.prop([identifierLike, fc.string({ maxLength: 220 })])(
    "an account the codec accepts is never refused by the decider for a malformed field",
    (code, name) => {
      const decoded = OpenAccountBody.decode({ code, name, type: "asset" });
      if (E.isLeft(decoded) || state.accounts.has(decoded.right.code)) return;
      expect(malformedFieldOf(openAccount(decoded.right), state)).toBeNull();
    },
  );

  test.prop([identifierLike, fc.string({ maxLength: 220 })])(
    "a member the codec accepts is never refused by the decider for a malformed field",
    (memberId, name) => {
      const decoded = RegisterMemberBody.decode({ memberId, name, joinedOn: "2026-01-02" });
      if (E.isLeft(decoded)) return;
      const command: LedgerCommand = {
        type: "RegisterMember",
        data: { ...decoded.right, role: decoded.right.role ?? "member" },
        actor: treasurer,
      };
      expect(malformedFieldOf(command, state)).toBeNull();
    },
  );

  test.prop([
    identifierLike,
    fc.stringMatching(/^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$/),
    fc.string({ maxLength: 220 }),
  ])(
    "a cooperative the codec accepts is never refused by the decider for a malformed field",
    (id, regionCode, name) => {
      const decoded = CreateCooperativeBody.decode({ id, name, regionCode });
      if (E.isLeft(decoded)) return;
      const command: LedgerCommand = {
        type: "OpenLedger",
        data: { coopId: decoded.right.id, name: decoded.right.name, regionCode: decoded.right.regionCode },
        actor: treasurer,
      };
      expect(malformedFieldOf(command, foldLedger([]))).toBeNull();
    },
  );
});
