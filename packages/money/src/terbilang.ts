import { MONEY_INTEGER_DIGITS_MAX, type Money, SEN_PER_RUPIAH, toSen } from "./money.js";

/**
 * Amounts in Indonesian words, as receipts (kuitansi) and deeds write them next to the figures
 * (docs/domain.md section 9.1): "Rp2.950.000,00 (dua juta sembilan ratus lima puluh ribu rupiah)".
 *
 * Rules of Indonesian numerals: 10 is "sepuluh", 11 "sebelas", 12-19 "<n> belas", 100 "seratus",
 * 1000 "seribu" (but 1,000,000 is "satu juta"), and the scale words go ribu, juta, miliar, triliun.
 * Fifteen integer digits (the wire limit) reach 999 triliun, which is the largest amount written.
 */

const UNITS = [
  "nol",
  "satu",
  "dua",
  "tiga",
  "empat",
  "lima",
  "enam",
  "tujuh",
  "delapan",
  "sembilan",
] as const;

/** Scale words for groups of three digits, from the lowest group (units) to the highest (triliun). */
const SCALES = ["", "ribu", "juta", "miliar", "triliun"] as const;

/** The largest whole-rupiah amount with words: fifteen nines, the wire limit. */
const TERBILANG_RUPIAH_MAX = 10n ** BigInt(MONEY_INTEGER_DIGITS_MAX) - 1n;

/**
 * The amount in lowercase Indonesian words: "dua juta sembilan ratus lima puluh ribu rupiah",
 * "seribu rupiah", "nol rupiah", "dua belas rupiah lima puluh sen", "minus seribu lima ratus rupiah".
 * An amount under one rupiah is written in sen only ("lima puluh sen"). Throws beyond 999 triliun,
 * which no amount that passed the wire can reach.
 */
export const terbilang = (m: Money): string => {
  const sen = toSen(m);
  const negative = sen < 0n;
  const magnitude = negative ? -sen : sen;
  const rupiah = magnitude / SEN_PER_RUPIAH;
  const senPart = magnitude % SEN_PER_RUPIAH;
  if (rupiah > TERBILANG_RUPIAH_MAX) {
    throw new RangeError("terbilang writes amounts up to 999 triliun rupiah");
  }
  const words: string[] = [];
  if (rupiah > 0n || senPart === 0n) {
    words.push(wholeNumberInWords(rupiah), "rupiah");
  }
  if (senPart > 0n) {
    words.push(wholeNumberInWords(senPart), "sen");
  }
  return `${negative ? "minus " : ""}${words.join(" ")}`;
};

/** A whole number from 0 to 999,999,999,999,999 in words. */
const wholeNumberInWords = (n: bigint): string => {
  if (n === 0n) return UNITS[0];
  const words: string[] = [];
  let remaining = n;
  for (let scale = 0; remaining > 0n; scale += 1) {
    const group = Number(remaining % 1000n);
    remaining /= 1000n;
    if (group === 0) continue;
    const scaleWord = SCALES[scale] ?? "";
    // "seribu", not "satu ribu"; larger scales keep "satu": "satu juta".
    const groupWords =
      scale === 1 && group === 1
        ? "seribu"
        : [belowThousandInWords(group), scaleWord].filter((w) => w !== "").join(" ");
    words.unshift(groupWords);
  }
  return words.join(" ");
};

/** A number from 1 to 999 in words. */
const belowThousandInWords = (n: number): string => {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const words: string[] = [];
  if (hundreds === 1) words.push("seratus");
  else if (hundreds > 1) words.push(`${unit(hundreds)} ratus`);
  if (rest > 0) words.push(belowHundredInWords(rest));
  return words.join(" ");
};

/** A number from 1 to 99 in words. */
const belowHundredInWords = (n: number): string => {
  if (n < 10) return unit(n);
  if (n === 10) return "sepuluh";
  if (n === 11) return "sebelas";
  if (n < 20) return `${unit(n - 10)} belas`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return ones === 0 ? `${unit(tens)} puluh` : `${unit(tens)} puluh ${unit(ones)}`;
};

const unit = (n: number): string => {
  const word = UNITS[n];
  if (word === undefined) throw new RangeError(`Not a single digit: ${n}`);
  return word;
};
