/** The raw history of a cooperative's ledger and the verification of its hash chain. */

import { queryObject } from "@bukubesar/contract";
import type { EventStore, StoredEvent } from "@bukubesar/event-store";
import {
  type ChainVerification,
  ledgerStreamId,
  MalformedStoredEvent,
  type RecordedLedgerEvent,
  recordedLedgerEventOf,
  verifyChain,
} from "@bukubesar/ledger-core";
import type { FastifyPluginAsync } from "fastify";
import { cooperativeFor, type RoutesOptions } from "../apiContext.js";
import { decodeQuery } from "../decode.js";
import { EVENTS_PAGE_BYTES_MAX, PAGE_SIZE_DEFAULT } from "../limits.js";
import { describe } from "../openApi.js";
import { Limit, Revision } from "../queries.js";

/** Events read per round trip while verifying a whole chain. */
const VERIFY_PAGE_SIZE = 5_000;

const EventsQuery = queryObject("EventsQuery", { after: Revision, limit: Limit });

type CoopParams = { Params: { coopId: string } };

/**
 * A cooperative's hash chain verified from genesis. Each stored event goes through ledger-core's checked
 * decoder: one that is no ledger event at all is where the chain breaks, unless it broke earlier.
 */
const verifyStoredChain = async (store: EventStore, coopId: string): Promise<ChainVerification> => {
  const events: RecordedLedgerEvent[] = [];
  for (;;) {
    const page = await store.readStream(ledgerStreamId(coopId), {
      direction: "forwards",
      fromRevision: events.length,
      limit: VERIFY_PAGE_SIZE,
    });
    const malformed = appendChecked(events, page);
    if (malformed !== null) {
      const before = verifyChain(events);
      return before.ok
        ? { ok: false, firstBadRevision: malformed.revision, reason: malformed.reason }
        : before;
    }
    if (page.length < VERIFY_PAGE_SIZE) return verifyChain(events);
  }
};

/**
 * Appends the page's events to `events` through the checked decoder; the first that is no ledger event
 * stops it, and is returned with why (null when every one was a ledger event).
 */
const appendChecked = (
  events: RecordedLedgerEvent[],
  page: readonly StoredEvent[],
): { readonly revision: number; readonly reason: string } | null => {
  for (const stored of page) {
    try {
      events.push(recordedLedgerEventOf(stored));
    } catch (error) {
      if (!(error instanceof MalformedStoredEvent)) throw error;
      return { revision: stored.revision, reason: error.reason };
    }
  }
  return null;
};

/**
 * The longest prefix of `items` whose JSON fits in `bytesMax` (never fewer than one item): a page of fat
 * events is limited by its size as well as its count, and `nextAfter` continues after the last one sent.
 */
const withinBytes = <T>(items: readonly T[], bytesMax: number): readonly T[] => {
  let bytes = 0;
  for (let index = 0; index < items.length; index += 1) {
    bytes += Buffer.byteLength(JSON.stringify(items[index]));
    if (bytes > bytesMax && index > 0) return items.slice(0, index);
  }
  return items;
};

/** A cooperative's raw history and the verification of its hash chain, as a Fastify plugin. */
export const historyRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/events",
    describe(
      "history",
      "The ledger's events in revision order; `after` is exclusive (omit it to start at revision 0).",
      { query: EventsQuery },
    ),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "read");
      const query = decodeQuery(EventsQuery, request.query);
      const limit = query.limit ?? PAGE_SIZE_DEFAULT;
      const from = query.after === undefined ? 0 : query.after + 1;
      const stored = await context.store.readStream(ledgerStreamId(snapshot.coopId), {
        direction: "forwards",
        fromRevision: from,
        limit,
      });
      const events = stored.map((event) => ({
        revision: event.revision,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        recordedAt: (event.metadata as { recordedAt?: string } | null)?.recordedAt ?? event.recordedAt,
      }));
      const page = withinBytes(events, EVENTS_PAGE_BYTES_MAX);
      const last = page[page.length - 1];
      const more = page.length < events.length || events.length === limit;
      return { events: page, nextAfter: more && last !== undefined ? last.revision : null };
    },
  );

  app.get<CoopParams>(
    "/v1/cooperatives/:coopId/verify",
    describe("history", "Verify the cooperative's hash chain from genesis (auditor, admin)."),
    async (request) => {
      const snapshot = await cooperativeFor(context, request, request.params.coopId, "verify");
      return verifyStoredChain(context.store, snapshot.coopId);
    },
  );
};
