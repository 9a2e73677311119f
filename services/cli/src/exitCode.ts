/**
 * The command's exit codes, as api.md (Command line) fixes them. Scripts and auditors branch on these,
 * so they never change meaning.
 */
export const EXIT_OK = 0;
/** Verification found a problem, or the input was refused (a bad import line, a bad checkpoint). */
export const EXIT_VERIFICATION_FAILED = 1;
/** The command line itself was wrong: an unknown command or option, a missing or malformed argument. */
export const EXIT_USAGE = 2;
/** The event store could not be reached or opened. */
export const EXIT_STORE_UNREACHABLE = 3;

export type ExitCode =
  | typeof EXIT_OK
  | typeof EXIT_VERIFICATION_FAILED
  | typeof EXIT_USAGE
  | typeof EXIT_STORE_UNREACHABLE;
