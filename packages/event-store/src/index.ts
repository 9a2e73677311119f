export { SUBSCRIPTION_POLL_INTERVAL_MS, SUBSCRIPTION_READ_BATCH_SIZE } from "./catchUpSubscription.js";
export { appendChained, CHAINED_APPEND_ATTEMPTS_MAX } from "./chainedAppend.js";
export { EVENT_SIZE_MAX_BYTES } from "./eventSize.js";
export { KURRENTDB_EVENT_ID_STREAM_PREFIX, KurrentDbEventStore } from "./kurrentdbEventStore.js";
export {
  appendToLedger,
  type KeyedRequestLookup,
  keyedRequestMatch,
  LEDGER_CONFLICT_BACKOFF_BASE_MS,
  LEDGER_CONFLICT_BACKOFF_MAX_MS,
  type LedgerAppendOutcome,
  type LedgerHead,
  ledgerConflictBackoffMs,
  lookUpKeyedRequest,
} from "./ledgerAppend.js";
export { MemoryEventStore } from "./memoryEventStore.js";
export { type OpenEventStoreOptions, openEventStore } from "./openEventStore.js";
export type {
  AcknowledgedHeadLost,
  AppendResult,
  CommitObserver,
  EventStore,
  ExpectedRevision,
  LogEventData,
  NewEvent,
  ReadAllOptions,
  ReadStreamDataOptions,
  ReadStreamOptions,
  StoredEvent,
  StoreError,
  StreamEventData,
  StreamHead,
  SubscribeOptions,
  Subscription,
  WriteLossObserver,
} from "./port.js";
export { StoreFailure } from "./port.js";
export {
  POSTGRES_CONNECT_TIMEOUT_MS,
  POSTGRES_DEFAULT_SCHEMA,
  POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  POSTGRES_LOCK_TIMEOUT_MS,
  POSTGRES_POOL_SIZE,
  POSTGRES_SESSION_TIMEOUTS,
  POSTGRES_STATEMENT_TIMEOUT_MS,
  PostgresEventStore,
  type PostgresEventStoreOptions,
  type PostgresSessionTimeouts,
  postgresSessionSettings,
} from "./postgresEventStore.js";
export {
  type InFlightClaims,
  PostgresInFlightClaims,
  processLocalInFlightClaims,
} from "./postgresInFlightClaims.js";
export {
  acquirePostgresLeadership,
  LEADERSHIP_CHECK_INTERVAL_MS,
  LEADERSHIP_POLL_INTERVAL_MS,
  type Leadership,
  type LeadershipOptions,
} from "./postgresLeadership.js";
export { readAllPaged, SCAN_PAGE_SIZE } from "./readAllPaged.js";
export type {
  ReadModelSnapshotRecord,
  ReadModelSnapshotTable,
  SnapshotPart,
} from "./readModelSnapshotTable.js";
export { MemoryReadModelSnapshotTable, readModelSnapshotTableFor } from "./readModelSnapshotTable.js";
export { textPartsOnly } from "./snapshotPart.js";
export {
  type EncodedEventRow,
  GROUP_COMMIT_MAX_APPENDS,
  mapSqliteError,
  SQLITE_BUSY_TIMEOUT_MS,
  SqliteEventStore,
  type SqliteEventStoreOptions,
  type SqliteGroupCommitStatistics,
  sqlitePathFromUrl,
} from "./sqliteEventStore.js";
export { type ForeignCommitWatch, openForeignCommitWatch } from "./sqliteForeignCommitWatch.js";
export { SQLITE_RECOVERY_FIRST_DELAY_MS, SQLITE_RECOVERY_MAX_DELAY_MS } from "./sqliteRecovery.js";
export { SQLITE_SCHEMA_VERSION } from "./sqliteSchema.js";
export { RAW_SHAPE, ShapeCodec, SqliteShapes } from "./sqliteShapes.js";
export { parseStoredJson } from "./storedJson.js";
export { isStoreError, isStoreFailure, isStoreFailureOf } from "./storeFailure.js";
export {
  carriesChainHashes,
  readAllData,
  readStreamData,
  storedChainHash,
  storedRecordedAt,
  streamHead,
} from "./streamData.js";
export {
  type PostgresCutPoint,
  type PostgresCuttingProxy,
  startPostgresCuttingProxy,
} from "./testing/postgresCuttingProxy.js";
export {
  createTestPostgresDatabase,
  TEST_POSTGRES_DEFAULT_URL,
  type TestPostgresDatabase,
  testPostgresServerUrl,
} from "./testing/postgresTestDatabase.js";
