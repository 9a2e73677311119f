import { describe, it } from "vitest";
import { openEventStore } from "../src/index.js";
import { eventStoreConformance } from "../src/testing/index.js";

/**
 * No EventStoreDB/KurrentDB server can be installed where this package is built, so its conformance run
 * needs one given by EVENTSTORE_URL (for example `esdb://127.0.0.1:2113?tls=false`, KurrentDB 25.1 or
 * later, started with a max append size above 1 MiB). Without it the run is skipped, and says why.
 */
const url = process.env.EVENTSTORE_URL;
const SKIP_REASON = "EVENTSTORE_URL not set: EventStoreDB conformance skipped";

if (url === undefined || url === "") {
  console.warn(SKIP_REASON);
  describe.skip(SKIP_REASON, () => {
    it("runs the EventStore conformance suite against EventStoreDB/KurrentDB", () => undefined);
  });
} else {
  eventStoreConformance("kurrentdb", async () => openEventStore(url));
}
