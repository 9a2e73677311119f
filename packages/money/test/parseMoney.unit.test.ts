import { fc, test } from "@fast-check/vitest";
import { isLeft, isRight } from "fp-ts/Either";
import { describe, expect, it } from "vitest";
import {
  type MoneyParseErrorTag,
  moneyParseErrorCode,
  parseMoney,
  parseMoneySen,
  senToWire,
  toSen,
  toWire,
} from "../src/index.js";
import { arbNonNegativeSen } from "./arbitraries.js";

const tagOf = (input: unknown): MoneyParseErrorTag | "accepted" => {
  const result = parseMoney(input);
  return isLeft(result) ? result.left._tag : "accepted";
};

describe("parseMoney accepts the wire forms of api.md", () => {
  it.each([
    ["50000", "50000.00"],
    ["50000.5", "50000.50"],
    ["50000.50", "50000.50"],
    ["0", "0.00"],
    ["0.00", "0.00"],
    ["0.01", "0.01"],
    ["999999999999999.99", "999999999999999.99"],
    ["100", "100.00"],
  ])("%s parses to %s", (input, wire) => {
    const result = parseMoney(input);
    if (!isRight(result)) throw new Error(`expected ${input} to parse: ${JSON.stringify(result.left)}`);
    expect(toWire(result.right)).toBe(wire);
    expect(result.right.currency).toBe("IDR");
  });

  it("gives an exact sen amount", () => {
    const result = parseMoney("1234567.89");
    expect(isRight(result) && toSen(result.right)).toBe(123456789n);
  });
});

describe("parseMoney refuses each kind of bad amount with its own tag", () => {
  it.each<[unknown, MoneyParseErrorTag]>([
    [50000, "AmountMustBeString"],
    [0, "AmountMustBeString"],
    [null, "AmountMustBeString"],
    [undefined, "AmountMustBeString"],
    [{ amount: "1" }, "AmountMustBeString"],
    ["", "AmountEmpty"],
    ["+1", "AmountHasSign"],
    ["-1", "AmountHasSign"],
    ["-0.50", "AmountHasSign"],
    ["1e5", "AmountHasExponent"],
    ["1E5", "AmountHasExponent"],
    ["1.5e-3", "AmountHasExponent"],
    ["-1e5", "AmountHasExponent"],
    [" 1", "AmountHasWhitespace"],
    ["1 ", "AmountHasWhitespace"],
    ["1 000", "AmountHasWhitespace"],
    ["\t1", "AmountHasWhitespace"],
    ["1\u00a0000", "AmountHasWhitespace"],
    ["NaN", "AmountNotANumber"],
    ["nan", "AmountNotANumber"],
    ["Infinity", "AmountNotANumber"],
    ["-Infinity", "AmountNotANumber"],
    ["\u0661\u0662", "AmountNonAsciiDigits"],
    ["\uff11\uff12", "AmountNonAsciiDigits"],
    ["1\u0662", "AmountNonAsciiDigits"],
    ["\u0967\u0968", "AmountNonAsciiDigits"],
    ["1.234", "AmountTooManyFractionDigits"],
    ["1.230", "AmountTooManyFractionDigits"],
    ["1000000000000000", "AmountTooManyIntegerDigits"],
    ["1000000000000000.00", "AmountTooManyIntegerDigits"],
    ["1,5", "AmountMalformed"],
    [".5", "AmountMalformed"],
    ["5.", "AmountMalformed"],
    ["1.2.3", "AmountMalformed"],
    ["007", "AmountMalformed"],
    ["0x10", "AmountMalformed"],
    ["abc", "AmountMalformed"],
    ["Rp1000", "AmountMalformed"],
    ["1_000", "AmountMalformed"],
  ])("%j is refused as %s", (input, tag) => {
    expect(tagOf(input)).toBe(tag);
  });

  it("refuses a bigint as not a string", () => {
    expect(tagOf(50000n)).toBe("AmountMustBeString");
  });

  it("keeps the input and a message in the error", () => {
    const result = parseMoney(" 1");
    if (!isLeft(result)) throw new Error("expected a refusal");
    expect(result.left.input).toBe(" 1");
    expect(result.left.message.length).toBeGreaterThan(0);
  });

  it("maps a JSON number to amount_must_be_string and everything else to invalid_amount", () => {
    const number = parseMoney(5);
    const sign = parseMoney("-5");
    if (!isLeft(number) || !isLeft(sign)) throw new Error("expected refusals");
    expect(moneyParseErrorCode(number.left)).toBe("amount_must_be_string");
    expect(moneyParseErrorCode(sign.left)).toBe("invalid_amount");
  });

  it("refuses a very long digit string quickly and as too many integer digits", () => {
    const started = performance.now();
    expect(tagOf("9".repeat(100_000))).toBe("AmountTooManyIntegerDigits");
    expect(tagOf(`${"9".repeat(100_000)}x`)).toBe("AmountMalformed");
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("parseMoneySen reads the same amounts as parseMoney, in sen", () => {
  /** What parseMoney gives, in the form parseMoneySen gives it: the refusal as it is, the amount in sen. */
  const expectedOf = (input: unknown) => {
    const result = parseMoney(input);
    return isLeft(result) ? { refused: result.left } : { sen: toSen(result.right) };
  };
  const actualOf = (input: unknown) => {
    const result = parseMoneySen(input);
    return isLeft(result) ? { refused: result.left } : { sen: result.right };
  };
  /** Characters every refusal of parseMoney can be reached with, digits most often. */
  const amountCharacter = fc.constantFrom(
    ..."0123456789".split(""),
    ..."0123456789.".split(""),
    ".",
    "+",
    "-",
    "e",
    "E",
    " ",
    "\t",
    ",",
    "x",
    "N",
    "a",
    "n",
    "I",
    "f",
    "١",
    "٢",
  );

  test.prop([fc.array(amountCharacter, { maxLength: 22 }).map((characters) => characters.join(""))], {
    numRuns: 5000,
  })("every string of amount-like characters", (input) => {
    expect(actualOf(input)).toEqual(expectedOf(input));
  });

  test.prop([arbNonNegativeSen(), fc.constantFrom(0, 1, 2)])(
    "every wire amount, with two, one or no fraction digits",
    (sen, fractionDigits) => {
      const wire = senToWire(sen);
      const input =
        fractionDigits === 2
          ? wire
          : wire.slice(0, wire.length - 2 + fractionDigits - (fractionDigits === 0 ? 1 : 0));
      expect(actualOf(input)).toEqual(expectedOf(input));
    },
  );

  it.each<unknown>([
    50000,
    null,
    undefined,
    "",
    "NaN",
    "1e5",
    " 1",
    "-1",
    "١٢",
    "1.234",
    "1234567890123456",
    "007",
    "0",
  ])("%s", (input) => {
    expect(actualOf(input)).toEqual(expectedOf(input));
  });
});
