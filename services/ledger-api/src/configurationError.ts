/**
 * A setting in the environment that the service cannot start with (an unknown LOG_LEVEL, a PORT that is
 * no port). The command line reports its message on one line and exits with the usage code, instead of
 * printing a stack as it does for a bug.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}
