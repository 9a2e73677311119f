export type { ApiContext } from "./apiContext.js";
export type { BuiltServer, ServerConfig } from "./buildServer.js";
export { buildServer } from "./buildServer.js";
export type {
  CommandContext,
  CommandHandler,
  CommandHandlerOptions,
  CommandResult,
} from "./commandHandler.js";
export { createCommandHandler } from "./commandHandler.js";
export { ConfigurationError } from "./configurationError.js";
export { decodeBody, decodeQuery } from "./decode.js";
export type { DemoEntry, DemoHistory, DemoLine, DemoMember } from "./demoHistory.js";
export { DEMO_COOPERATIVE, demoHistory } from "./demoHistory.js";
export type { DemoSeedResult } from "./demoSeed.js";
export { DEMO_PRINCIPAL_ID, seedDemo } from "./demoSeed.js";
export * from "./limits.js";
export type { LogLevel } from "./logLevel.js";
export { LOG_LEVEL_DEFAULT, LOG_LEVELS, logLevelFromEnvironment } from "./logLevel.js";
export type { FieldError, ProblemBody } from "./problem.js";
export { ApiProblem, problemBody, toJsonPointer } from "./problem.js";
export type { RateLimitStore } from "./rateLimitStore.js";
export { PostgresRateLimitStore } from "./rateLimitStore.js";
export type { ServeOptions } from "./serve.js";
export { serve } from "./serve.js";
export { parseStrictJson } from "./strictJson.js";
export type { InProcessSupervisor, StartSupervisor, StartSupervisorOptions } from "./supervisorPort.js";
