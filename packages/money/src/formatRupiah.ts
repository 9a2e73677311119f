import { fromSen, type Money, SEN_PER_RUPIAH, toSen } from "./money.js";

/**
 * The PUEBI written form of rupiah amounts (docs/domain.md section 9.1): "Rp" with no full stop and no space,
 * full stops grouping thousands, a comma before two sen digits: "Rp1.234.567,50". Written by hand
 * rather than with Intl, because Intl's IDR output depends on the ICU version (CLDR moved IDR to zero
 * fraction digits) and puts a no-break space after "Rp", which PUEBI does not.
 */

export interface FormatRupiahOptions {
  /**
   * Whether to write the sen (default true, so round amounts read "Rp2.950.000,00" as in formal
   * documents). With false, a whole-rupiah amount is written "Rp2.950.000"; an amount that has sen
   * still shows them, because hiding them would misstate the amount.
   */
  readonly withSen?: boolean;
  /**
   * How to write a negative amount: "accounting" (default) wraps it in parentheses, "(Rp1.500,00)",
   * as financial statements do; "minus" writes "-Rp1.500,00", as running text does.
   */
  readonly negative?: "accounting" | "minus";
}

const THOUSANDS_SEPARATOR = ".";
const SEN_SEPARATOR = ",";

/** Formats an amount in PUEBI style. */
export const formatRupiah = (m: Money, options?: FormatRupiahOptions): string => {
  const withSen = options?.withSen ?? true;
  const negativeStyle = options?.negative ?? "accounting";
  const sen = toSen(m);
  const negative = sen < 0n;
  const magnitude = negative ? -sen : sen;
  const rupiah = magnitude / SEN_PER_RUPIAH;
  const senPart = magnitude % SEN_PER_RUPIAH;
  const showSen = withSen || senPart !== 0n;
  const body = `Rp${groupThousands(rupiah.toString())}${
    showSen ? `${SEN_SEPARATOR}${senPart.toString().padStart(2, "0")}` : ""
  }`;
  if (!negative) return body;
  return negativeStyle === "accounting" ? `(${body})` : `-${body}`;
};

/**
 * A PUEBI rupiah amount, optionally negative in either style: "Rp1.234.567,50", "Rp2.950.000",
 * "(Rp1.500,00)", "-Rp1.500,00". Groups must be exactly three digits and the first group must not
 * start with a zero (except a lone "Rp0").
 */
const RUPIAH_PATTERN = /^(\(|-)?Rp((?:0|[1-9][0-9]{0,2})(?:\.[0-9]{3})*)(?:,([0-9]{2}))?(\))?$/;

/**
 * Reads back what `formatRupiah` writes (in either negative style, with or without sen), so that
 * parseRupiah(formatRupiah(m)) equals m. Meant for our own output (reports, exports, tests), not for
 * free-form user typing; it throws on anything else.
 */
export const parseRupiah = (s: string): Money => {
  const match = RUPIAH_PATTERN.exec(s);
  const opening = match?.[1];
  const closing = match?.[4];
  // A closing parenthesis must match an opening one, and a minus must not have one.
  if (match === null || (opening === "(") !== (closing === ")")) {
    throw new RangeError(`Not a PUEBI rupiah amount: ${JSON.stringify(s)}`);
  }
  const rupiah = BigInt((match[2] ?? "").replaceAll(THOUSANDS_SEPARATOR, ""));
  const sen = rupiah * SEN_PER_RUPIAH + BigInt(match[3] ?? "0");
  return fromSen(opening === undefined ? sen : -sen);
};

const groupThousands = (digits: string): string => {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) {
    groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return groups.join(THOUSANDS_SEPARATOR);
};
