import type { AccountType, EntryKind, MemberRole, Settings } from "@bukubesar/ledger-core";
import type { Alert, SupervisedEvent, SupervisionOptions } from "../src/index.js";
import { createSupervisionState, runRules } from "../src/index.js";

/** A line in test shorthand: [account, "debit"|"credit", amount, memberId?]. */
export type LineShorthand = readonly [string, "debit" | "credit", string, string?];

export interface PostOptions {
  readonly at?: string;
  readonly date?: string;
  readonly by?: string;
  readonly kind?: EntryKind;
  readonly proposedBy?: string | null;
  readonly reverses?: string | null;
  readonly entryId?: string;
}

export const SETTINGS: Settings = {
  approvalThreshold: "25000000.00",
  largeCashThreshold: "100000000.00",
  businessHours: { start: "07:00", end: "18:00" },
  timeZone: "Asia/Jakarta",
};

/** Builds one cooperative's ledger history as the supervisor would see it. Times default to a weekday at 10:00 WIB. */
export class History {
  readonly events: SupervisedEvent[] = [];
  private entryCounter = 0;
  private clock = Date.parse("2026-01-14T03:00:00.000Z");

  constructor(
    readonly coopId = "kkmp-mangunharjo",
    readonly regionCode = "35.74.03.1002",
  ) {}

  private push(type: string, data: unknown, at?: string, principalId = "treasurer-1"): this {
    const recordedAt = at ?? new Date(this.clock).toISOString();
    this.clock = Date.parse(recordedAt) + 1000;
    const revision = this.events.length;
    this.events.push({
      type,
      data,
      coopId: this.coopId,
      revision,
      metadata: { eventId: `${this.coopId}-event-${revision}`, principalId, role: "treasurer", recordedAt },
    } as SupervisedEvent);
    return this;
  }

  opened(settings: Partial<Settings> = {}, at?: string): this {
    return this.push(
      "LedgerOpened",
      {
        coopId: this.coopId,
        name: "KKMP Uji",
        regionCode: this.regionCode,
        settings: { ...SETTINGS, ...settings },
      },
      at,
      "admin-1",
    );
  }

  account(code: string, accountType: AccountType, noOverdraft = false): this {
    const normalBalance = accountType === "asset" || accountType === "expense" ? "debit" : "credit";
    return this.push("AccountOpened", {
      code,
      name: code,
      accountType,
      normalBalance,
      parent: null,
      postable: true,
      noOverdraft,
    });
  }

  member(memberId: string, role: MemberRole = "member"): this {
    return this.push("MemberRegistered", { memberId, name: memberId, joinedOn: "2025-08-01", role });
  }

  /** The kkmp essentials: cash, bank, loans, member savings, equity, income, expense. */
  standard(settings: Partial<Settings> = {}): this {
    return this.opened(settings)
      .account("1101", "asset", true)
      .account("1102", "asset", true)
      .account("1111", "asset")
      .account("1201", "asset")
      .account("2101", "liability")
      .account("3101", "equity")
      .account("3200", "equity")
      .account("4101", "income")
      .account("5101", "expense");
  }

  post(lines: readonly LineShorthand[], options: PostOptions = {}): this {
    this.entryCounter += 1;
    const entryId = options.entryId ?? `entry-${this.entryCounter}`;
    const at = options.at;
    const date = options.date ?? (at ?? new Date(this.clock).toISOString()).slice(0, 10);
    return this.push(
      "JournalEntryPosted",
      {
        entryId,
        kind: options.kind ?? "regular",
        date,
        memo: "uji",
        lines: lines.map(([account, side, amount, memberId]) => ({
          account,
          side,
          amount,
          memberId: memberId ?? null,
          unit: null,
          counterparty: memberId === undefined ? null : "member",
          memo: null,
        })),
        postedBy: options.by ?? "treasurer-1",
        proposedBy: options.proposedBy ?? null,
        reverses: options.reverses ?? null,
      },
      at,
      options.by ?? "treasurer-1",
    );
  }

  /** A cash deposit by a member: Dr 1101, Cr 2101 (member). */
  deposit(amount: string, memberId: string, options: PostOptions = {}): this {
    return this.post(
      [
        ["1101", "debit", amount],
        ["2101", "credit", amount, memberId],
      ],
      options,
    );
  }

  event(type: string, data: unknown, at?: string, principalId?: string): this {
    return this.push(type, data, at, principalId);
  }

  get lastEntryId(): string {
    return `entry-${this.entryCounter}`;
  }
}

/** Runs every rule over the events and returns all alerts raised, in order. */
export const replay = (events: readonly SupervisedEvent[], options: SupervisionOptions = {}): Alert[] => {
  let state = createSupervisionState(options);
  const alerts: Alert[] = [];
  for (const event of events) {
    const result = runRules(state, event);
    state = result.state;
    alerts.push(...result.alerts);
  }
  return alerts;
};

export const alertsOf = (alerts: readonly Alert[], rule: string): Alert[] => {
  return alerts.filter((alert) => alert.rule === rule);
};
