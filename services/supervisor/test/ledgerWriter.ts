import type { EventStore } from "@bukubesar/event-store";

const SETTINGS = {
  approvalThreshold: null,
  largeCashThreshold: "100000000.00",
  businessHours: { start: "07:00", end: "18:00" },
  timeZone: "Asia/Jakarta",
};

/**
 * Appends ledger events to `ledger-<coopId>` as the ledger service would (the supervisor only reads them).
 * Recording times are weekdays at 10:00 WIB, one second apart, so only the rules a test aims at fire.
 */
export class LedgerWriter {
  private revision = -1;
  private entries = 0;
  private clock = Date.parse("2026-01-14T03:00:00.000Z");

  constructor(
    private readonly store: EventStore,
    readonly coopId: string,
    readonly regionCode = "35.74.03.1002",
  ) {}

  async append(type: string, data: unknown): Promise<void> {
    const revision = this.revision + 1;
    const recordedAt = new Date(this.clock).toISOString();
    this.clock += 1000;
    await this.store.append(`ledger-${this.coopId}`, this.revision < 0 ? "no_stream" : this.revision, [
      {
        eventId: `${this.coopId}-${revision}`,
        type,
        data,
        metadata: { principalId: "treasurer-1", role: "treasurer", recordedAt },
      },
    ]);
    this.revision = revision;
  }

  async open(): Promise<void> {
    await this.append("LedgerOpened", {
      coopId: this.coopId,
      name: this.coopId,
      regionCode: this.regionCode,
      settings: SETTINGS,
    });
    for (const [code, accountType] of [
      ["1101", "asset"],
      ["2101", "liability"],
    ] as const) {
      const normalBalance = accountType === "asset" ? "debit" : "credit";
      await this.append("AccountOpened", {
        code,
        name: code,
        accountType,
        normalBalance,
        parent: null,
        postable: true,
        noOverdraft: false,
      });
    }
    await this.append("MemberRegistered", {
      memberId: "A-1",
      name: "Siti",
      joinedOn: "2025-08-01",
      role: "member",
    });
  }

  /** A cash deposit; at or above Rp100 million it raises one large-cash alert. */
  async deposit(amount: string): Promise<string> {
    this.entries += 1;
    const entryId = `${this.coopId}-entry-${this.entries}`;
    const line = (account: string, side: string, memberId: string | null) => ({
      account,
      side,
      amount,
      memberId,
      unit: null,
      counterparty: memberId === null ? null : "member",
      memo: null,
    });
    await this.append("JournalEntryPosted", {
      entryId,
      kind: "regular",
      date: new Date(this.clock).toISOString().slice(0, 10),
      memo: "setoran",
      lines: [line("1101", "debit", null), line("2101", "credit", "A-1")],
      postedBy: "treasurer-1",
      proposedBy: null,
      reverses: null,
    });
    return entryId;
  }
}
