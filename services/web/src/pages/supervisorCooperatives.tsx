import { cooperatives, regionSummary } from "../data.js";
import { dateTime, rupiah } from "../format.js";
import { useWords } from "../i18n.js";
import type { RegionCooperative, Session } from "../types.js";
import { useLoad } from "../useLoad.js";
import { RegisterCooperative } from "./adminCooperatives.js";
import { Loading, ProblemMessage, Section } from "./common.js";

/** The region summary counts days and dates in Western Indonesian time (docs/api.md, Region summary). */
const SUMMARY_TIME_ZONE = "Asia/Jakarta";
/** A scope of `*` reads every province: the summary route takes a region prefix, so one call per province. */
const EVERYWHERE = "*";

/** The region prefixes to sum up: the scope itself, or every province that has a cooperative. */
const prefixesOf = async (scope: string): Promise<string[]> => {
  if (scope !== EVERYWHERE) return [scope];
  const provinces = new Set((await cooperatives()).map((coop) => coop.regionCode.split(".")[0] as string));
  return [...provinces].sort();
};

/**
 * The cooperatives of the region with their key figures (cash, last posting, days since it, open
 * alerts) from the region summary route; each links to its reports (read-only). An admin also registers
 * cooperatives and opens each one's settings here.
 */
export const SupervisorCooperatives = ({ session }: { session: Session }) => {
  const { t, language } = useWords();
  const isAdmin = session.role === "admin";
  const loaded = useLoad(async () => {
    const summaries = await Promise.all((await prefixesOf(session.scope)).map(regionSummary));
    return summaries.flatMap((summary) => summary.cooperatives);
  }, [session.scope]);
  if (loaded.data === null)
    return loaded.problem === null ? <Loading /> : <ProblemMessage problem={loaded.problem} />;
  const rows: readonly RegionCooperative[] = loaded.data;
  return (
    <>
      <h1>
        {t("cooperatives")} <span class="muted">{session.scope}</span>
      </h1>
      {isAdmin && <RegisterCooperative onRegistered={loaded.reload} />}
      <Section title={`${t("cooperatives")} (${rows.length})`}>
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
              {rows.map((row) => (
                <tr key={row.coopId} data-coop={row.coopId}>
                  <td>
                    {row.name}
                    <br />
                    <span class="muted">{row.regionCode}</span>
                  </td>
                  <td class="amount">{rupiah(row.cash)}</td>
                  <td>
                    {row.lastPostingAt === null
                      ? "–"
                      : dateTime(row.lastPostingAt, SUMMARY_TIME_ZONE, language)}
                  </td>
                  <td>{row.daysSinceLastPosting ?? "–"}</td>
                  <td>{row.openAlerts}</td>
                  <td>
                    <a href={`#/reports/${row.coopId}`}>{t("reports")}</a>
                    {isAdmin && (
                      <>
                        {" · "}
                        <a href={`#/settings/${row.coopId}`}>{t("settings")}</a>
                      </>
                    )}
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
