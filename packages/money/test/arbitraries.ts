import { fc } from "@fast-check/vitest";
import { fromSen, type Money } from "../src/index.js";

/** The largest amount the wire accepts, in sen: fifteen integer digits and two fraction digits. */
export const WIRE_SEN_MAX = 10n ** 17n - 1n;

/** Sen amounts across the wire range, biased by fast-check towards edges (0, ±1, the limits). */
export const arbSen = (): fc.Arbitrary<bigint> => fc.bigInt({ min: -WIRE_SEN_MAX, max: WIRE_SEN_MAX });

export const arbNonNegativeSen = (): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max: WIRE_SEN_MAX });

export const arbMoney = (): fc.Arbitrary<Money> => arbSen().map(fromSen);

export const arbNonNegativeMoney = (): fc.Arbitrary<Money> => arbNonNegativeSen().map(fromSen);
