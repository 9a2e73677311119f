import { MemoryEventStore } from "../src/index.js";
import { eventStoreConformance } from "../src/testing/index.js";

eventStoreConformance("memory", async () => new MemoryEventStore());
