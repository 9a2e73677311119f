import { setImmediate as nextTurn } from "node:timers/promises";
import type { EventStore, StoredEvent } from "./port.js";

/** Events read per query while scanning the log. */
export const SCAN_PAGE_SIZE = 1_000;

/**
 * Every event after `after` (all when undefined) whose stream starts with the prefix (every stream when
 * the prefix is undefined), page by page, in order.
 */
export const readAllPaged = async function* (
  store: EventStore,
  streamPrefix: string | undefined,
  after?: bigint,
  through?: bigint,
): AsyncGenerator<StoredEvent> {
  let cursor = after;
  for (;;) {
    const page = await store.readAll({
      ...(streamPrefix === undefined ? {} : { streamPrefix }),
      limit: SCAN_PAGE_SIZE,
      ...(cursor === undefined ? {} : { after: cursor }),
    });
    for (const event of page) {
      if (through !== undefined && event.position > through) return;
      yield event;
    }
    if (page.length < SCAN_PAGE_SIZE) return;
    cursor = page[page.length - 1]?.position;
    // A synchronous store (SQLite) resolves every read at once: without a turn of the event loop between
    // pages, a scan of a long log (the supervisor's replay in the background of `serve`) would hold off
    // every request until it ends.
    await nextTurn();
  }
};
