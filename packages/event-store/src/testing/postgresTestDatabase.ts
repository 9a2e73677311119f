import { randomUUID } from "node:crypto";

/** The server the PostgreSQL tests use when TEST_DATABASE_URL is not set (the house test server, trust auth). */
export const TEST_POSTGRES_DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** How many hexadecimal characters of a random UUID make a test database's name unique enough for parallel runs. */
const UNIQUE_SUFFIX_LENGTH = 12;

/** A label goes unquoted into CREATE DATABASE, so it may hold only what an unquoted identifier may. */
const LABEL_PATTERN = /^[a-z0-9_]+$/;

/** A PostgreSQL database created for one test run, and how to drop it again. */
export interface TestPostgresDatabase {
  /** The connection URL of the new database (the server URL with the database name as its path). */
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * The URL of the server the PostgreSQL tests use: TEST_DATABASE_URL, or the house test server. Its database is
 * the administrative one the tests create and drop their own databases from.
 */
export const testPostgresServerUrl = (): string => process.env.TEST_DATABASE_URL ?? TEST_POSTGRES_DEFAULT_URL;

/** Runs one statement on the administrative database of the test server, on a connection of its own. */
const administer = async (sql: string): Promise<void> => {
  // pg is loaded only when a test asks for a PostgreSQL database, like the PostgreSQL store loads it.
  const { Client } = await import("pg");
  const client = new Client({ connectionString: testPostgresServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/**
 * Creates a freshly and uniquely named database on the test server (TEST_DATABASE_URL), so that a test never
 * relies on state left by an earlier run. The label (letters, digits and underscores) goes into the name so a
 * database left behind by a crashed run says which test made it.
 */
export const createTestPostgresDatabase = async (label = "test"): Promise<TestPostgresDatabase> => {
  if (!LABEL_PATTERN.test(label))
    throw new Error(`test database label must match ${LABEL_PATTERN}: ${label}`);
  const name = `bb_${label}_${randomUUID().replaceAll("-", "").slice(0, UNIQUE_SUFFIX_LENGTH)}`;
  await administer(`CREATE DATABASE ${name}`);
  const url = new URL(testPostgresServerUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
};
