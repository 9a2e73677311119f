/** LOG_LEVEL: the pino levels the service logs at, checked once at start. */
import { ConfigurationError } from "./configurationError.js";

/** pino's levels, most verbose first, and `silent` (no log lines at all). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the service logs at when LOG_LEVEL is unset or empty. */
export const LOG_LEVEL_DEFAULT: LogLevel = "info";

const isLogLevel = (value: string): value is LogLevel => (LOG_LEVELS as readonly string[]).includes(value);

/** The level LOG_LEVEL names; an unknown value is refused at start rather than logging at a surprising level. */
export const logLevelFromEnvironment = (value: string | undefined): LogLevel => {
  if (value === undefined || value === "") return LOG_LEVEL_DEFAULT;
  if (isLogLevel(value)) return value;
  throw new ConfigurationError(
    `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not ${JSON.stringify(value)}`,
  );
};
