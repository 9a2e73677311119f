import { fromSen, type Money, toSen } from "./money.js";
import { senToWire, wireToSen } from "./wire.js";

/** The wire string of a Money: always two fraction digits, "-" for negatives ("1234567.50", "0.00"). */
export const toWire = (m: Money): string => senToWire(toSen(m));

/**
 * Reads a TRUSTED signed wire string from our own events or database ("-312500.13", "50000.00").
 * Untrusted input (HTTP, CSV, NATS from outside) goes through `parseMoney` instead. Throws on a
 * malformed string, because that means a bug or corrupted data.
 */
export const parseSignedWire = (s: string): Money => fromSen(wireToSen(s));
