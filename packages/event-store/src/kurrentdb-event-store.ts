// placeholder, replaced below
import type { EventStore } from "./port.js";
import { storeUnavailable } from "./store-failure.js";
export class KurrentDbEventStore {
  static async open(_url: string): Promise<EventStore> {
    throw storeUnavailable("not yet");
  }
}
