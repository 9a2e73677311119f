export type { AllocateOptions, AllocationUnit, AllocationWeight } from "./allocate.js";
export { ALLOCATION_PARTS_MAX, allocate } from "./allocate.js";
export { abs, add, negate, subtract, sum } from "./arithmetic.js";
export { compare, equals, isNegative, isPositive, isZero } from "./comparison.js";
export type { FormatRupiahOptions } from "./formatRupiah.js";
export { formatRupiah, parseRupiah } from "./formatRupiah.js";
export type { Money } from "./money.js";
export {
  fromDecimal,
  fromSen,
  MONEY_FRACTION_DIGITS_MAX,
  MONEY_INTEGER_DIGITS_MAX,
  MONEY_INTERNAL_INTEGER_DIGITS_MAX,
  SEN_PER_RUPIAH,
  toSen,
  zero,
} from "./money.js";
export { money } from "./moneyNamespace.js";
export { parseSignedWire, toWire } from "./moneyWire.js";
export type { MoneyParseError, MoneyParseErrorTag } from "./parseMoney.js";
export { moneyParseErrorCode, parseMoney, parseMoneySen } from "./parseMoney.js";
export { parseWrittenAmount } from "./parseWrittenAmount.js";
export { PERCENT_LENGTH_MAX, percentOf } from "./percentOf.js";
export type { Rounding } from "./rounding.js";
export { terbilang } from "./terbilang.js";
export { senToWire, wireToSen, wireToSenOrNull } from "./wire.js";
