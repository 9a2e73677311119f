import { isLeft, isRight } from "fp-ts/Either";
import { describe, expect, it } from "vitest";
import { type MoneyParseErrorTag, moneyParseErrorCode, parseMoney, toSen, toWire } from "../src/index.js";

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
