export { SUBSCRIPTION_POLL_INTERVAL_MS, SUBSCRIPTION_READ_BATCH_SIZE } from "./catch-up-subscription.js";
export { EVENT_SIZE_MAX_BYTES } from "./event-size.js";
export { KURRENTDB_EVENT_ID_STREAM_PREFIX, KurrentDbEventStore } from "./kurrentdb-event-store.js";
export {
  appendToLedger,
  type KeyedRequestLookup,
  keyedRequestMatch,
  type LedgerAppendOutcome,
  type LedgerHead,
  lookUpKeyedRequest,
} from "./ledger-append.js";
export { MemoryEventStore } from "./memory-event-store.js";
export { openEventStore } from "./open-event-store.js";
export type {
  AppendResult,
  CommitObserver,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StoreError,
  SubscribeOptions,
  Subscription,
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
} from "./postgres-event-store.js";
export {
  type InFlightClaims,
  PostgresInFlightClaims,
  processLocalInFlightClaims,
} from "./postgres-in-flight-claims.js";
export {
  acquirePostgresLeadership,
  LEADERSHIP_CHECK_INTERVAL_MS,
  LEADERSHIP_POLL_INTERVAL_MS,
  type Leadership,
  type LeadershipOptions,
} from "./postgres-leadership.js";
export type { ReadModelSnapshotRecord, ReadModelSnapshotTable } from "./read-model-snapshot-table.js";
export { MemoryReadModelSnapshotTable, readModelSnapshotTableFor } from "./read-model-snapshot-table.js";
export {
  type EncodedEventRow,
  GROUP_COMMIT_MAX_APPENDS,
  mapSqliteError,
  SQLITE_BUSY_TIMEOUT_MS,
  SqliteEventStore,
  type SqliteEventStoreOptions,
  type SqliteGroupCommitStatistics,
  sqlitePathFromUrl,
} from "./sqlite-event-store.js";
export { SQLITE_SCHEMA_VERSION } from "./sqlite-schema.js";
export { isStoreError, isStoreFailure, isStoreFailureOf } from "./store-failure.js";
export {
  type PostgresCutPoint,
  type PostgresCuttingProxy,
  startPostgresCuttingProxy,
} from "./testing/postgres-cutting-proxy.js";
export {
  createTestPostgresDatabase,
  TEST_POSTGRES_DEFAULT_URL,
  type TestPostgresDatabase,
  testPostgresServerUrl,
} from "./testing/postgres-test-database.js";
