export type { ApiContext } from "./apiContext.js";
export type { BuiltServer, ServerConfig } from "./buildServer.js";
export { buildServer } from "./buildServer.js";
export * as codecs from "./codecs.js";
export { AccountCode, CoopId, EntryLineInput, PostJournalEntryBody } from "./codecs.js";
export type {
  CommandContext,
  CommandHandler,
  CommandHandlerOptions,
  CommandResult,
} from "./commandHandler.js";
export { createCommandHandler } from "./commandHandler.js";
export { ConfigurationError } from "./configurationError.js";
export { DIRECTORY_SNAPSHOT_NAME, decodeDirectory } from "./cooperativeDirectory.js";
export type { StoredSnapshotCheck } from "./cooperativeSnapshot.js";
export {
  COOPERATIVE_SNAPSHOT_PREFIX,
  cooperativeSnapshotName,
  encodeCooperativeSnapshot,
  readStoredSnapshot,
} from "./cooperativeSnapshot.js";
export type { BodyRefusal } from "./decode.js";
export { checkBody, decodeBody, decodeQuery } from "./decode.js";
export type { DemoEntry, DemoHistory, DemoLine, DemoMember } from "./demoHistory.js";
export { DEMO_COOPERATIVE, demoHistory } from "./demoHistory.js";
export type { DemoSeedResult } from "./demoSeed.js";
export { DEMO_PRINCIPAL_ID, seedDemo } from "./demoSeed.js";
export { toEntryLine } from "./entryLine.js";
export type { LedgerSnapshot } from "./ledgerSnapshot.js";
export * from "./limits.js";
export type { LogLevel } from "./logLevel.js";
export { LOG_LEVEL_DEFAULT, LOG_LEVELS, logLevelFromEnvironment } from "./logLevel.js";
export type { Principal } from "./principals.js";
export {
  hashToken,
  isValidScope,
  PRINCIPALS_STREAM,
  PrincipalRegistry,
  resetAdminToken,
} from "./principals.js";
export type { FieldError, ProblemBody } from "./problem.js";
export { ApiProblem, problemBody, toJsonPointer } from "./problem.js";
export type { RateLimitStore } from "./rateLimitStore.js";
export { PostgresRateLimitStore } from "./rateLimitStore.js";
export { clusterForRegion, parseRegionRoutes, type RegionRoutes } from "./regionRoutes.js";
export { requestHashOf } from "./requestHash.js";
export type { ServeOptions } from "./serve.js";
export { serve } from "./serve.js";
export type { JsonRefusal } from "./strictJson.js";
export { checkStrictJson, parseStrictJson } from "./strictJson.js";
