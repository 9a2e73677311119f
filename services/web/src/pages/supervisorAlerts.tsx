import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, type Problem, problemOf } from "../api/client.js";
import { acknowledgeAlert, alerts as listAlerts } from "../data.js";
import { dateTime } from "../format.js";
import { useWords } from "../i18n.js";
import type { Alert, Session } from "../types.js";
import { ProblemMessage } from "./common.js";

const SEVERITIES = ["info", "warning", "high"] as const;
/** Alerts shown at first, newest first; "show more" adds as many again. */
const ALERTS_PAGE = 30;
const SEVERITY_RANK: Readonly<Record<string, number>> = { info: 0, warning: 1, high: 2 };
/** Alerts are shown in WIB unless the cooperative says otherwise; the alert carries no zone, its region does. */
const zoneOfRegion = (regionCode: string): string => {
  const province = Number(regionCode.slice(0, 2));
  if (province >= 81) return "Asia/Jayapura";
  if (province >= 51 && province !== 61 && province !== 62) return "Asia/Makassar";
  return "Asia/Jakarta";
};

/** The kelurahan/desa part of a region code: its first four segments. */
const kelurahanOf = (regionCode: string) => regionCode.split(".").slice(0, 4).join(".");

const AcknowledgeForm = ({ alert, onDone }: { alert: Alert; onDone: (alert: Alert) => void }) => {
  const { t } = useWords();
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      onDone(await acknowledgeAlert(alert.alertId, note));
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <form class="inline" onSubmit={submit}>
      <label class="grow">
        {t("note")}
        <input value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <button type="submit">{t("acknowledge")}</button>
      <ProblemMessage problem={problem} />
    </form>
  );
};

/**
 * The region's alerts, arriving live over Server-Sent Events (the session cookie authenticates the stream;
 * EventSource sends Last-Event-ID when it reconnects, so nothing raised meanwhile is missed).
 */
export const SupervisorAlerts = ({ session }: { session: Session }) => {
  const { t, language } = useWords();
  const [alerts, setAlerts] = useState<Map<string, Alert>>(new Map());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [connected, setConnected] = useState(false);
  const [minSeverity, setMinSeverity] = useState("");
  const [rule, setRule] = useState("");
  const [openOnly, setOpenOnly] = useState(true);
  const [limit, setLimit] = useState(ALERTS_PAGE);
  // Alerts acknowledged on this page stay in view (marked) even when only open ones are listed.
  const [handledHere, setHandledHere] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    const merge = (incoming: readonly Alert[]) =>
      setAlerts((current) => {
        const next = new Map(current);
        for (const alert of incoming) next.set(alert.alertId, { ...current.get(alert.alertId), ...alert });
        return next;
      });
    listAlerts().then(merge, (error: unknown) =>
      setProblem(error instanceof ApiError ? error.problem : null),
    );
    const source = new EventSource("/v1/alerts/stream");
    source.addEventListener("open", () => setConnected(true));
    source.addEventListener("error", () => setConnected(false));
    source.addEventListener("alert", (event) =>
      merge([JSON.parse((event as MessageEvent<string>).data) as Alert]),
    );
    return () => source.close();
  }, []);

  const rules = useMemo(() => [...new Set([...alerts.values()].map((alert) => alert.rule))].sort(), [alerts]);
  const shown = [...alerts.values()]
    .filter(
      (alert) =>
        minSeverity === "" || (SEVERITY_RANK[alert.severity] ?? 0) >= (SEVERITY_RANK[minSeverity] ?? 0),
    )
    .filter((alert) => rule === "" || alert.rule === rule)
    .filter(
      (alert) => !openOnly || (alert.acknowledgements ?? []).length === 0 || handledHere.has(alert.alertId),
    )
    .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  const more = shown.length - limit;
  const groups = new Map<string, Alert[]>();
  for (const alert of shown.slice(0, limit)) {
    const key = kelurahanOf(alert.regionCode);
    groups.set(key, [...(groups.get(key) ?? []), alert]);
  }
  const acknowledged = (alert: Alert) => {
    setHandledHere((current) => new Set(current).add(alert.alertId));
    setAlerts((current) => new Map(current).set(alert.alertId, alert));
  };

  return (
    <>
      <h1>
        {t("alerts")} <span class="muted">{session.scope}</span>
      </h1>
      <p role="status" class={connected ? "ok" : "warn"} data-testid="stream-state">
        {connected ? t("live") : t("reconnecting")}
      </p>
      <ProblemMessage problem={problem} />
      <div class="card inline">
        <label>
          {t("severity")}
          <select value={minSeverity} onChange={(e) => setMinSeverity(e.currentTarget.value)}>
            <option value="">{t("all")}</option>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                ≥ {severity}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("rule")}
          <select value={rule} onChange={(e) => setRule(e.currentTarget.value)}>
            <option value="">{t("all")}</option>
            {rules.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("status")}
          <select
            value={openOnly ? "open" : "all"}
            onChange={(e) => setOpenOnly(e.currentTarget.value === "open")}
          >
            <option value="open">{t("openAlerts")}</option>
            <option value="all">{t("all")}</option>
          </select>
        </label>
      </div>
      {shown.length === 0 && <p>{t("nothing")}</p>}
      {[...groups.entries()].map(([kelurahan, group]) => (
        <section class="card" key={kelurahan}>
          <h2>
            {t("kelurahan")} {kelurahan}
          </h2>
          <ul class="plain">
            {group.map((alert) => {
              const acknowledgements = alert.acknowledgements ?? [];
              return (
                <li key={alert.alertId} class="alert" data-alert={alert.alertId} data-rule={alert.rule}>
                  <span class={`badge ${alert.severity}`}>{alert.severity}</span>{" "}
                  <strong>{alert.rule}</strong> · {alert.coopId}
                  <p>{alert.summary}</p>
                  <p class="muted">{dateTime(alert.raisedAt, zoneOfRegion(alert.regionCode), language)}</p>
                  {acknowledgements.length > 0 ? (
                    <p class="ok">
                      {t("acknowledged")}: {acknowledgements.map((ack) => ack.note).join("; ")}
                    </p>
                  ) : session.role === "supervisor" || session.role === "admin" ? (
                    <AcknowledgeForm alert={alert} onDone={acknowledged} />
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {more > 0 && (
        <button type="button" class="secondary" onClick={() => setLimit(limit + ALERTS_PAGE)}>
          {t("showMore")} ({more})
        </button>
      )}
    </>
  );
};
