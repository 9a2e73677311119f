import { isCashAccount } from "../cash.js";
import { cooperatives, alerts as listAlerts, entries as listEntries, trialBalance } from "../data.js";
import { longDate, rupiah, todayIn } from "../format.js";
import { useWords } from "../i18n.js";
import type { Session } from "../types.js";
import { useLoad } from "../useLoad.js";
import { Loading, ProblemMessage, Section } from "./common.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Only this many recent days of entries are read to find the last posting. */
const RECENT_DAYS = 120;

const sumWire = (wires: readonly string[]): string => {
  const sen = wires.reduce((total, wire) => total + BigInt(wire.replace(".", "")), 0n);
  const negative = sen < 0n;
  const magnitude = negative ? -sen : sen;
  return `${negative ? "-" : ""}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, "0")}`;
};

/** The cooperatives of the region with their key figures; each links to its reports (read-only). */
export const SupervisorCooperatives = ({ session }: { session: Session }) => {
  const { t, language } = useWords();
  const loaded = useLoad(async () => {
    const [coops, alerts] = await Promise.all([cooperatives(), listAlerts()]);
    return Promise.all(
      coops.map(async (coop) => {
        const today = todayIn(coop.settings.timeZone);
        const since = new Date(Date.parse(today) - RECENT_DAYS * DAY_MS).toISOString().slice(0, 10);
        const [balance, recent] = await Promise.all([
          trialBalance(coop.id, today),
          listEntries(coop.id, since),
        ]);
        const posted = recent.filter((entry) => entry.status === "posted");
        const last = posted.reduce<string | null>(
          (latest, entry) => (latest === null || entry.date > latest ? entry.date : latest),
          null,
        );
        return {
          coop,
          cash: sumWire(
            balance.accounts
              .filter((row) => isCashAccount({ code: row.code, type: row.type as "asset" }))
              .map((row) => row.balance),
          ),
          last,
          days: last === null ? null : Math.round((Date.parse(today) - Date.parse(last)) / DAY_MS),
          open: alerts.filter(
            (alert) => alert.coopId === coop.id && (alert.acknowledgements ?? []).length === 0,
          ).length,
        };
      }),
    );
  }, [session.scope]);
  if (loaded.data === null)
    return loaded.problem === null ? <Loading /> : <ProblemMessage problem={loaded.problem} />;
  return (
    <>
      <h1>
        {t("cooperatives")} <span class="muted">{session.scope}</span>
      </h1>
      <Section title={`${t("cooperatives")} (${loaded.data.length})`}>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col" class="amount">
                  {t("cash")}
                </th>
                <th scope="col">{t("lastPosting")}</th>
                <th scope="col">{t("daysSince")}</th>
                <th scope="col">{t("openAlerts")}</th>
                <th scope="col">{t("reports")}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((row) => (
                <tr key={row.coop.id}>
                  <td>
                    {row.coop.name}
                    <br />
                    <span class="muted">{row.coop.regionCode}</span>
                  </td>
                  <td class="amount">{rupiah(row.cash)}</td>
                  <td>{row.last === null ? "–" : longDate(row.last, language)}</td>
                  <td>{row.days ?? "–"}</td>
                  <td>{row.open}</td>
                  <td>
                    <a href={`#/reports/${row.coop.id}`}>{t("reports")}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
};
