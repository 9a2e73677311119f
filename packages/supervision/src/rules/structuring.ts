import { Decimal } from "decimal.js";
import { cashAccountsOf, cashByMember, formatRupiah, netCashMovement } from "../entryAnalysis.js";
import { daysBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert, unchanged } from "../rule.js";
import { PPATK_CASH_DAILY_THRESHOLD } from "../thresholds.js";

export const STRUCTURING_RULE = "structuring";

interface NearMiss {
  readonly entryId: string;
  readonly eventId: string;
  readonly date: string;
  readonly amount: string;
}

export interface StructuringState {
  /** Recent near-threshold cash movements by key: `member:<id>` or `account:<code>`. */
  readonly recent: Readonly<Record<string, readonly NearMiss[]>>;
}

/**
 * REG-03: several cash movements, each just under a reporting threshold (the cooperative's large-cash
 * threshold or PPATK's Rp500 million), by one member or on one cash account within a few days. Once a
 * cluster is reported its movements are forgotten, so the next alert needs a new cluster.
 */
export const structuringRule: Rule<StructuringState> = {
  name: STRUCTURING_RULE,
  initialState: { recent: {} },
  onEvent(state, event, { after, thresholds }) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular") return unchanged(state);
    const cash = netCashMovement(after, event.data.lines);
    if (cash.isZero()) return unchanged(state);
    const band = new Decimal(thresholds.structuringBandFraction);
    const limits = [new Decimal(after.settings.largeCashThreshold), new Decimal(PPATK_CASH_DAILY_THRESHOLD)];
    const limit = limits.find((threshold) => cash.lt(threshold) && cash.gte(threshold.times(band)));
    if (limit === undefined) return unchanged(state);

    const date = event.data.date;
    const miss: NearMiss = {
      entryId: event.data.entryId,
      eventId: event.metadata.eventId,
      date,
      amount: cash.toFixed(2),
    };
    const keys = [
      ...[...cashByMember(after, event.data.lines).keys()].sort().map((memberId) => `member:${memberId}`),
      ...cashAccountsOf(after, event.data.lines).map((code) => `account:${code}`),
    ];
    const recent: Record<string, readonly NearMiss[]> = {};
    for (const [key, misses] of Object.entries(state.recent)) {
      const kept = misses.filter((item) => daysBetween(item.date, date) < thresholds.structuringWindowDays);
      if (kept.length > 0) recent[key] = kept;
    }
    for (const key of keys) recent[key] = [...(recent[key] ?? []), miss];

    const firing = keys.find((key) => (recent[key]?.length ?? 0) >= thresholds.structuringMinimumCount);
    if (firing === undefined) return { state: { recent }, alerts: [] };
    const cluster = recent[firing] ?? [];
    const clusterIds = new Set(cluster.map((item) => item.entryId));
    for (const [key, misses] of Object.entries(recent)) {
      const kept = misses.filter((item) => !clusterIds.has(item.entryId));
      if (kept.length > 0) recent[key] = kept;
      else delete recent[key];
    }
    const total = cluster.reduce((sum, item) => sum.plus(item.amount), new Decimal(0));
    const [kind, id] = firing.split(/:(.*)/s);
    const who = kind === "member" ? `anggota ${id}` : `akun kas ${id}`;
    return {
      state: { recent },
      alerts: [
        makeAlert({
          rule: STRUCTURING_RULE,
          severity: "high",
          facts: after,
          triggerIds: cluster.map((item) => item.eventId),
          entryIds: cluster.map((item) => item.entryId),
          summary: `Dugaan structuring: ${cluster.length} transaksi tunai sedikit di bawah ${formatRupiah(limit)} oleh ${who}, total ${formatRupiah(total)}`,
          raisedAt: event.metadata.recordedAt,
          details: {
            key: firing,
            threshold: limit.toFixed(2),
            amounts: cluster.map((item) => item.amount),
            total: total.toFixed(2),
            windowDays: thresholds.structuringWindowDays,
          },
        }),
      ],
    };
  },
};
