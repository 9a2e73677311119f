/**
 * A threshold fraction ("0.8", "0.10") as an exact ratio of two bigints, so money in sen can be compared
 * with a share of another amount without decimal.js and without rounding: a ≥ f·b ⇔ a·denominator ≥
 * numerator·b.
 */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const FRACTION_PATTERN = /^([0-9]+)(?:\.([0-9]+))?$/;

/** Parses a non-negative decimal written with a dot; throws on anything else (thresholds are configuration). */
export const parseFraction = (text: string): Fraction => {
  const match = FRACTION_PATTERN.exec(text.trim());
  if (match === null) throw new Error(`Not a non-negative decimal fraction: ${JSON.stringify(text)}`);
  const [, whole = "0", decimals = ""] = match;
  return { numerator: BigInt(whole + decimals), denominator: 10n ** BigInt(decimals.length) };
};

/** value ≥ fraction · whole, exactly. */
export const isAtLeastFractionOf = (value: bigint, fraction: Fraction, whole: bigint): boolean => {
  return value * fraction.denominator >= fraction.numerator * whole;
};

/**
 * numerator / denominator as a decimal string with at most `places` fraction digits, half away from zero,
 * trailing zeros dropped ("0.05", "12.5", "3"): what decimal.js's toDecimalPlaces(places).toString() wrote.
 * The denominator must be positive.
 */
export const ratioToString = (numerator: bigint, denominator: bigint, places: number): string => {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const scale = 10n ** BigInt(places);
  const scaled = (magnitude * scale * 2n + denominator) / (denominator * 2n);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(places, "0").replace(/0+$/, "");
  const digits = fraction === "" ? whole.toString() : `${whole}.${fraction}`;
  return negative && scaled !== 0n ? `-${digits}` : digits;
};

/** fraction · amount, rounded half up to a whole sen (for display; comparisons use the exact forms). */
export const roundedFractionOf = (fraction: Fraction, amount: bigint): bigint => {
  return (amount * fraction.numerator * 2n + fraction.denominator) / (fraction.denominator * 2n);
};

/** value > fraction · whole, exactly. */
export const isAboveFractionOf = (value: bigint, fraction: Fraction, whole: bigint): boolean => {
  return value * fraction.denominator > fraction.numerator * whole;
};
