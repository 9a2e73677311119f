import { isCashAccount } from "../cash.js";
import { cooperative, alerts as listAlerts, entries as listEntries, trialBalance } from "../data.js";
import { dateTime, longDate, rupiah, todayIn } from "../format.js";
import { useWords } from "../i18n.js";
import type { Entry } from "../types.js";
import { useLoad } from "../useLoad.js";
import { Loading, ProblemMessage, Section } from "./common.js";
import { OutboxList } from "./outboxList.js";

/** How many of the latest entries the home page lists. */
const LATEST_ENTRIES_SHOWN = 8;
/** How many open alerts the home page lists, newest first; the count says how many there are in all. */
const OPEN_ALERTS_SHOWN = 5;

const entryTotal = (entry: Entry): string => {
  const debits = entry.lines.filter((line) => line.debit !== undefined).map((line) => line.debit as string);
  return debits.length === 1 ? (debits[0] as string) : "";
};

export const TreasurerHome = ({ coopId }: { coopId: string }) => {
  const { t, language } = useWords();
  const home = useLoad(async () => {
    const coop = await cooperative(coopId);
    const today = todayIn(coop.settings.timeZone);
    const [balance, all, open] = await Promise.all([
      trialBalance(coopId, today),
      listEntries(coopId),
      listAlerts(),
    ]);
    return {
      coop,
      today,
      balance,
      all,
      open: open
        .filter((alert) => (alert.acknowledgements ?? []).length === 0)
        .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)),
    };
  }, [coopId]);
  if (home.data === null)
    return home.problem === null ? <Loading /> : <ProblemMessage problem={home.problem} />;
  const { coop, today, balance, all, open } = home.data;
  const cash = balance.accounts.filter((row) => isCashAccount({ code: row.code, type: row.type as "asset" }));
  const pending = all.filter((entry) => entry.status === "pending_approval");
  const latest = all
    .filter((entry) => entry.status === "posted")
    .slice(-LATEST_ENTRIES_SHOWN)
    .reverse();
  return (
    <>
      <h1>{coop.name}</h1>
      <p class="muted">
        {t("asOf")} {longDate(today, language)}
      </p>
      <OutboxList coopId={coopId} />
      <div class="grid">
        <Section title={t("cashAndBank")}>
          <table>
            <tbody>
              {cash.map((row) => (
                <tr key={row.code}>
                  <th scope="row">
                    {row.code} {row.name}
                  </th>
                  <td class="amount">{rupiah(row.balance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title={`${t("pendingApproval")} (${pending.length})`}>
          {pending.length === 0 ? (
            <p>{t("nothing")}</p>
          ) : (
            <ul class="plain">
              {pending.map((entry) => (
                <li key={entry.entryId}>
                  {longDate(entry.date, language)} · {entry.memo} · {rupiah(entryTotal(entry))}
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title={t("latestEntries")}>
          <ul class="plain">
            {latest.map((entry) => (
              <li key={entry.entryId}>
                <span class="muted">#{entry.sequence}</span> {longDate(entry.date, language)} · {entry.memo}
              </li>
            ))}
          </ul>
        </Section>
        <Section title={`${t("openAlerts")} (${open.length})`}>
          {open.length === 0 ? (
            <p>{t("nothing")}</p>
          ) : (
            <ul class="plain">
              {open.slice(0, OPEN_ALERTS_SHOWN).map((alert) => (
                <li key={alert.alertId}>
                  <span class={`badge ${alert.severity}`}>{alert.severity}</span> {alert.summary}{" "}
                  <span class="muted">{dateTime(alert.raisedAt, coop.settings.timeZone, language)}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </>
  );
};
