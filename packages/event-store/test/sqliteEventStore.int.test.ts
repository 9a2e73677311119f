import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEventStore } from "../src/index.js";
import { eventStoreConformance } from "../src/testing/index.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-event-store-"));

eventStoreConformance(
  "sqlite",
  async () => openEventStore(`sqlite:${join(directory, "nested", "store.db")}`),
  async () => rmSync(directory, { recursive: true, force: true }),
);
