import { localDateOf } from "@bukubesar/ledger-core";
import { CliError } from "./cliError.js";
import { EXIT_USAGE } from "./exitCode.js";

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The cooperatives' default calendar (WIB) when the command is not told otherwise. */
export const DEFAULT_TIME_ZONE = "Asia/Jakarta";

/** Today's date YYYY-MM-DD in a time zone. */
export const todayIn = (timeZone: string, now: Date = new Date()): string => localDateOf(now, timeZone);

/** Checks a YYYY-MM-DD option; a bad one is a usage error. */
export const parseDateOption = (value: string, option: string): string => {
  if (!DATE_PATTERN.test(value))
    throw new CliError(`${option} must be a date YYYY-MM-DD, got ${value}`, EXIT_USAGE);
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new CliError(`${option} is not a calendar date: ${value}`, EXIT_USAGE);
  }
  return value;
};
