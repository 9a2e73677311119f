/**
 * The seam to supervision: alerts are raised by the supervisor service and reach the API through this
 * port. Until that service is wired in, the in-memory implementation below holds whatever is published
 * to it (nothing, by default), so the routes already answer correctly shaped, scoped responses.
 */

export type Severity = "info" | "warning" | "high";

export interface Alert {
  readonly alertId: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly coopId: string;
  readonly regionCode: string;
  readonly entryIds: readonly string[];
  readonly summary: string;
  readonly raisedAt: string;
  readonly details: unknown;
  readonly acknowledged: { readonly by: string; readonly at: string; readonly note: string | null } | null;
}

export interface AlertFilter {
  /** Only alerts for which this returns true (the caller's scope and `region`). */
  readonly visible: (alert: Alert) => boolean;
  readonly since?: string;
  readonly severityMin?: Severity;
  readonly limit: number;
  /** The alert id after which the page starts. */
  readonly after?: string;
}

export interface AlertsPort {
  list(filter: AlertFilter): Promise<{ alerts: Alert[]; nextCursor: string | null }>;
  get(alertId: string): Promise<Alert | null>;
  /** Calls `listener` for every new alert until the returned function is called. */
  subscribe(listener: (alert: Alert) => void): () => void;
  acknowledge(alertId: string, by: string, note: string | null, at: string): Promise<Alert | null>;
}

export const severityRank: Readonly<Record<Severity, number>> = { info: 0, warning: 1, high: 2 };

export class InMemoryAlerts implements AlertsPort {
  private readonly alerts: Alert[] = [];
  private readonly listeners = new Set<(alert: Alert) => void>();

  /** Adds an alert (what the supervisor's bus adapter will call). Duplicates by id are ignored. */
  publish(alert: Alert): void {
    if (this.alerts.some((existing) => existing.alertId === alert.alertId)) return;
    this.alerts.push(alert);
    for (const listener of this.listeners) listener(alert);
  }

  async list(filter: AlertFilter): Promise<{ alerts: Alert[]; nextCursor: string | null }> {
    const startIndex =
      filter.after === undefined ? 0 : this.alerts.findIndex((a) => a.alertId === filter.after) + 1;
    const matching = this.alerts
      .slice(startIndex)
      .filter(
        (alert) =>
          filter.visible(alert) &&
          (filter.since === undefined || alert.raisedAt >= filter.since) &&
          (filter.severityMin === undefined ||
            severityRank[alert.severity] >= severityRank[filter.severityMin]),
      );
    const page = matching.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      alerts: page,
      nextCursor: matching.length > filter.limit && last !== undefined ? last.alertId : null,
    };
  }

  async get(alertId: string): Promise<Alert | null> {
    return this.alerts.find((alert) => alert.alertId === alertId) ?? null;
  }

  subscribe(listener: (alert: Alert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async acknowledge(alertId: string, by: string, note: string | null, at: string): Promise<Alert | null> {
    const index = this.alerts.findIndex((alert) => alert.alertId === alertId);
    const alert = this.alerts[index];
    if (alert === undefined) return null;
    const acknowledged: Alert = { ...alert, acknowledged: { by, at, note } };
    this.alerts[index] = acknowledged;
    return acknowledged;
  }
}
