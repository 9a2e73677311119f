/** How many recent alert ids a subscription remembers to drop redeliveries; far more than a redelivery burst. */
export const RECENT_IDS_CAPACITY = 100_000;

/** A bounded set of recently seen ids (oldest forgotten first), for subscriber-side deduplication. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = RECENT_IDS_CAPACITY) {}

  /** True the first time an id is offered, false for a repeat. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}
