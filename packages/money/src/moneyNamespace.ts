import { allocate } from "./allocate.js";
import { abs, add, negate, subtract, sum } from "./arithmetic.js";
import { compare, equals, isNegative, isPositive, isZero } from "./comparison.js";
import { formatRupiah, parseRupiah } from "./formatRupiah.js";
import { fromDecimal, fromSen, toSen, zero } from "./money.js";
import { parseSignedWire, toWire } from "./moneyWire.js";
import { parseMoney } from "./parseMoney.js";
import { percentOf } from "./percentOf.js";
import { terbilang } from "./terbilang.js";

/**
 * The whole API under one name, for callers who prefer `money.add(a, b)` to importing each function.
 * Every member is also a separate named export; the two are the same functions.
 */
export const money = Object.freeze({
  zero,
  fromSen,
  toSen,
  fromDecimal,
  parse: parseMoney,
  parseSignedWire,
  toWire,
  add,
  subtract,
  negate,
  abs,
  sum,
  compare,
  equals,
  isZero,
  isPositive,
  isNegative,
  percentOf,
  allocate,
  formatRupiah,
  parseRupiah,
  terbilang,
});
