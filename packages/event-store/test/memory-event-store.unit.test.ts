import { eventStoreConformance, MemoryEventStore } from "../src/index.js";

eventStoreConformance("memory", async () => new MemoryEventStore());
