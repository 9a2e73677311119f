/**
 * The outbox: every journal entry is first written here (IndexedDB) with the Idempotency-Key it was created
 * with, then sent in the order it was made. A lost response, a double tap, a dropped connection or a server
 * restart mid-way only ever causes the same key to be sent again, which the API answers with the first
 * result instead of posting twice. An entry the API refuses stays here, with the problem, for the treasurer
 * to correct (sent again under a new key, as nothing was recorded) or discard.
 */
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import { ApiError, hasCsrfToken, type Problem } from "../api/client.js";
import { type EntryBody, postEntry, readSession } from "../data.js";

export type OutboxState = "waiting" | "sent" | "refused";

export interface OutboxItem {
  /** Assigned by IndexedDB in creation order, which is the sending order. */
  readonly id?: number;
  readonly coopId: string;
  readonly idempotencyKey: string;
  readonly body: EntryBody;
  readonly createdAt: string;
  readonly state: OutboxState;
  /** Once sent: the entry's number in the ledger (its sequence), or null while it awaits approval. */
  readonly sequence?: number | null;
  readonly status?: string;
  readonly problem?: Problem;
}

interface OutboxSchema extends DBSchema {
  outbox: { key: number; value: OutboxItem; indexes: { byCoop: string } };
}

const DATABASE = "bukubesar";
const DATABASE_VERSION = 1;
/** How often waiting entries are tried again while the page is open (also on the browser's `online`). */
export const OUTBOX_RETRY_MS = 5_000;
/** Problems that mean "not now" rather than "no": the entry stays waiting and is sent again later. */
const TRY_LATER = new Set([
  "offline",
  "store_unavailable",
  "rate_limited",
  "idempotency_key_in_flight",
  "internal_error",
  "not_ready",
]);

let database: Promise<IDBPDatabase<OutboxSchema>> | null = null;
const open = () => {
  database ??= openDB<OutboxSchema>(DATABASE, DATABASE_VERSION, {
    upgrade: (db) => {
      const store = db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
      store.createIndex("byCoop", "coopId");
    },
  });
  return database;
};

const listeners = new Set<() => void>();
/** Called whenever an item is added or changes state; returns the unsubscribe function. */
export const onOutboxChange = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const changed = () => {
  for (const listener of listeners) listener();
};

export const outboxItems = async (coopId: string): Promise<OutboxItem[]> =>
  (await (await open()).getAllFromIndex("outbox", "byCoop", coopId)).sort(
    (a, b) => (a.id ?? 0) - (b.id ?? 0),
  );

const newKey = (): string => `web-${crypto.randomUUID()}`;

/** Keeps the entry with a fresh Idempotency-Key, then tries to send everything waiting. */
export const enqueueEntry = async (coopId: string, body: EntryBody): Promise<number> => {
  const id = await (await open()).add("outbox", {
    coopId,
    idempotencyKey: newKey(),
    body,
    createdAt: new Date().toISOString(),
    state: "waiting",
  } as OutboxItem);
  changed();
  return id;
};

export const discardItem = async (id: number): Promise<void> => {
  await (await open()).delete("outbox", id);
  changed();
};

/** Forgets entries already sent (their numbers are in the ledger now). */
export const clearSent = async (coopId: string): Promise<void> => {
  const db = await open();
  for (const item of await outboxItems(coopId))
    if (item.state === "sent" && item.id !== undefined) await db.delete("outbox", item.id);
  changed();
};

const sendOne = async (item: OutboxItem): Promise<"sent" | "refused" | "later"> => {
  const db = await open();
  try {
    const entry = await postEntry(item.coopId, item.body, item.idempotencyKey);
    await db.put("outbox", {
      ...item,
      state: "sent",
      sequence: entry.sequence ?? null,
      status: entry.status,
    });
    return "sent";
  } catch (error) {
    const problem: Problem =
      error instanceof ApiError ? error.problem : { status: 0, code: "offline", detail: "" };
    if (TRY_LATER.has(problem.code) || problem.status >= 500) return "later";
    await db.put("outbox", { ...item, state: "refused", problem });
    return "refused";
  }
};

let flushing: Promise<void> | null = null;

/**
 * Sends the waiting entries of every cooperative, oldest first, one at a time; stops at the first that must
 * wait (so a later entry never overtakes an earlier one). Only one flush runs at a time in this page, and
 * the Web Locks API keeps two tabs from sending the same entry at once.
 */
export const flushOutbox = (): Promise<void> => {
  flushing ??= (async () => {
    const run = async () => {
      const db = await open();
      const waiting = (await db.getAll("outbox")).filter((item) => item.state === "waiting");
      if (waiting.length === 0) return;
      // After a reload without a network the page has no CSRF token yet; it comes with the session.
      if (
        !hasCsrfToken() &&
        !(await readSession().then(
          () => true,
          () => false,
        ))
      )
        return;
      for (const item of waiting.sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
        const outcome = await sendOne(item);
        changed();
        if (outcome === "later") return;
      }
    };
    try {
      if (navigator.locks === undefined) await run();
      else await navigator.locks.request("bukubesar-outbox", run);
    } finally {
      flushing = null;
    }
  })();
  return flushing;
};

let started = false;
/** Sends waiting entries when the connection returns and every OUTBOX_RETRY_MS while the page is open. */
export const startOutbox = (): void => {
  if (started) return;
  started = true;
  window.addEventListener("online", () => void flushOutbox());
  setInterval(() => void flushOutbox(), OUTBOX_RETRY_MS);
  void flushOutbox();
};
