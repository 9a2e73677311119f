import { senToWire } from "@bukubesar/money";
import type { Fraction } from "../fraction.js";
import { isAtLeastFractionOf } from "../fraction.js";
import { daysBetween } from "../localTime.js";
import type { Rule } from "../rule.js";
import { makeAlert } from "../rule.js";
import { rupiahInText } from "../rupiah.js";

export const STRUCTURING_RULE = "structuring";

interface NearMiss {
  readonly entryId: string;
  readonly eventId: string;
  readonly date: string;
  readonly amountSen: bigint;
}

export interface StructuringState {
  /** Recent near-threshold cash movements by key: `member:<id>` or `account:<code>`; updated in place. */
  readonly recent: Map<string, NearMiss[]>;
}

/** Just under a threshold: below it, and at least the band's fraction of it. */
const isNearMiss = (cash: bigint, threshold: bigint, band: Fraction): boolean => {
  return cash < threshold && isAtLeastFractionOf(cash, band, threshold);
};

/** The reporting threshold a cash movement falls just under: the cooperative's large-cash one or PPATK's. */
const nearMissLimit = (
  cash: bigint,
  largeCashThresholdSen: bigint,
  parsed: { readonly structuringBand: Parameters<typeof isNearMiss>[2]; readonly ppatkCashDailySen: bigint },
): bigint | null => {
  if (isNearMiss(cash, largeCashThresholdSen, parsed.structuringBand)) return largeCashThresholdSen;
  if (isNearMiss(cash, parsed.ppatkCashDailySen, parsed.structuringBand)) return parsed.ppatkCashDailySen;
  return null;
};

/** Keeps the near misses that pass `keep`, forgetting a key left with none. */
const keepOnly = (recent: StructuringState["recent"], keep: (item: NearMiss) => boolean): void => {
  for (const [key, misses] of recent) {
    const kept = misses.filter(keep);
    if (kept.length > 0) recent.set(key, kept);
    else recent.delete(key);
  }
};

/**
 * REG-03: several cash movements, each just under a reporting threshold (the cooperative's large-cash
 * threshold or PPATK's Rp500 million), by one member or on one cash account within a few days. Once a
 * cluster is reported its movements are forgotten, so the next alert needs a new cluster.
 */
export const structuringRule: Rule<StructuringState> = {
  name: STRUCTURING_RULE,
  eventTypes: ["JournalEntryPosted"],
  initialState: () => ({ recent: new Map() }),
  onEvent(state, event, { facts, entry, thresholds, parsed }, alerts) {
    if (event.type !== "JournalEntryPosted" || event.data.kind !== "regular" || entry === null) return;
    const cash = entry.netCash;
    if (cash === 0n) return;
    const limit = nearMissLimit(cash, facts.largeCashThresholdSen, parsed);
    if (limit === null) return;

    const date = event.data.date;
    const miss: NearMiss = {
      entryId: event.data.entryId,
      eventId: event.metadata.eventId,
      date,
      amountSen: cash,
    };
    const keys = [
      ...entry.cashByMember.keys
        .slice(0, entry.cashByMember.count)
        .sort()
        .map((memberId) => `member:${memberId}`),
      ...entry.cashAccounts.map((code) => `account:${code}`),
    ];
    const recent = state.recent;
    keepOnly(recent, (item) => daysBetween(item.date, date) < thresholds.structuringWindowDays);
    for (const key of keys) {
      const misses = recent.get(key);
      if (misses === undefined) recent.set(key, [miss]);
      else misses.push(miss);
    }

    const firing = keys.find((key) => (recent.get(key)?.length ?? 0) >= thresholds.structuringMinimumCount);
    if (firing === undefined) return;
    const cluster = recent.get(firing) ?? [];
    const clusterIds = new Set(cluster.map((item) => item.entryId));
    keepOnly(recent, (item) => !clusterIds.has(item.entryId));
    const total = cluster.reduce((sum, item) => sum + item.amountSen, 0n);
    const [kind, id] = firing.split(/:(.*)/s);
    const who = kind === "member" ? `anggota ${id}` : `akun kas ${id}`;
    alerts.push(
      makeAlert({
        rule: STRUCTURING_RULE,
        severity: "high",
        facts,
        triggerIds: cluster.map((item) => item.eventId),
        entryIds: cluster.map((item) => item.entryId),
        summary: `Dugaan structuring: ${cluster.length} transaksi tunai sedikit di bawah ${rupiahInText(limit)} oleh ${who}, total ${rupiahInText(total)}`,
        raisedAt: event.metadata.recordedAt,
        details: {
          key: firing,
          threshold: senToWire(limit),
          amounts: cluster.map((item) => senToWire(item.amountSen)),
          total: senToWire(total),
          windowDays: thresholds.structuringWindowDays,
        },
      }),
    );
  },
};
