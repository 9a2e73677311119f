/**
 * The admin's cooperative screens: registering a cooperative (with the standard chart of accounts or
 * none) and changing a cooperative's settings (docs/api.md, Cooperatives, settings, accounts, members).
 */

import { parseWrittenAmount, toWire } from "@bukubesar/money";
import { useEffect, useRef, useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { changeSettings, cooperative, registerCooperative } from "../data.js";
import { rupiah } from "../format.js";
import { useWords } from "../i18n.js";
import type { Settings } from "../types.js";
import { useLoad } from "../useLoad.js";
import { AccountTagsSection } from "./accountTags.js";
import { FieldProblem, Loading, ProblemMessage, Section } from "./common.js";

const TIME_ZONES: readonly Settings["timeZone"][] = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"];

export const RegisterCooperative = ({ onRegistered }: { onRegistered: () => void }) => {
  const { t } = useWords();
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [regionCode, setRegionCode] = useState("");
  const [chart, setChart] = useState<"kkmp" | "empty">("kkmp");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    try {
      const created = await registerCooperative({
        id: id.trim(),
        name: name.trim(),
        regionCode: regionCode.trim(),
        chart,
      });
      setDone(created.name);
      setId("");
      setName("");
      setRegionCode("");
      onRegistered();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <Section title={t("registerCooperative")}>
      <form class="inline" onSubmit={submit}>
        <label>
          {t("cooperativeId")}
          <input
            required
            value={id}
            onInput={(e) => setId(e.currentTarget.value)}
            placeholder="kkmp-mangunharjo"
          />
          <FieldProblem problem={problem} path="/id" />
        </label>
        <label class="grow">
          {t("name")}
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <FieldProblem problem={problem} path="/name" />
        </label>
        <label>
          {t("regionCode")}
          <input
            required
            value={regionCode}
            onInput={(e) => setRegionCode(e.currentTarget.value)}
            placeholder="35.74.03.1002"
            inputMode="decimal"
          />
          <FieldProblem problem={problem} path="/regionCode" />
        </label>
        <label>
          {t("chartOfAccounts")}
          <select value={chart} onChange={(e) => setChart(e.currentTarget.value as "kkmp" | "empty")}>
            <option value="kkmp">{t("standardChart")}</option>
            <option value="empty">{t("emptyChart")}</option>
          </select>
        </label>
        <button type="submit">{t("registerCooperative")}</button>
      </form>
      <ProblemMessage problem={problem} />
      {done !== null && (
        <p role="status" class="ok">
          {t("registered")}: {done}
        </p>
      )}
    </Section>
  );
};

/** An amount typed as people write it ("25.000.000"), or empty for none, as the API takes it. */
const amountField = (typed: string): string | null | "invalid" => {
  if (typed.trim() === "") return null;
  const parsed = parseWrittenAmount(typed);
  return parsed._tag === "Left" ? "invalid" : toWire(parsed.right);
};

export const SettingsPage = ({ coopId }: { coopId: string }) => {
  const { t } = useWords();
  const loaded = useLoad(() => cooperative(coopId), [coopId]);
  const [approval, setApproval] = useState("");
  const [largeCash, setLargeCash] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [timeZone, setTimeZone] = useState<Settings["timeZone"]>("Asia/Jakarta");
  const [legalEntity, setLegalEntity] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  // The fields are filled from the stored settings once per cooperative. The reload after a save must not
  // fill them again: its answer can arrive while the person is already typing the next change, which it
  // would silently overwrite (a test typing right after "saved" lost its input on a loaded machine).
  const filledFor = useRef<string | null>(null);
  useEffect(() => {
    const settings = loaded.data?.settings;
    if (settings === undefined || filledFor.current === coopId) return;
    filledFor.current = coopId;
    setApproval(settings.approvalThreshold === null ? "" : rupiah(settings.approvalThreshold));
    setLargeCash(rupiah(settings.largeCashThreshold));
    setStart(settings.businessHours.start);
    setEnd(settings.businessHours.end);
    setTimeZone(settings.timeZone);
    setLegalEntity(settings.legalEntityNumber ?? "");
  }, [loaded.data, coopId]);
  if (loaded.data === null)
    return loaded.problem === null ? <Loading /> : <ProblemMessage problem={loaded.problem} />;
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    setSaved(false);
    const approvalThreshold = amountField(approval);
    const largeCashThreshold = amountField(largeCash);
    if (approvalThreshold === "invalid" || largeCashThreshold === "invalid" || largeCashThreshold === null) {
      setProblem({
        status: 422,
        code: "invalid_amount",
        detail: "",
        errors: [
          {
            path: approvalThreshold === "invalid" ? "/approvalThreshold" : "/largeCashThreshold",
            code: "invalid_amount",
            message: "",
          },
        ],
      });
      return;
    }
    try {
      await changeSettings(coopId, {
        approvalThreshold,
        largeCashThreshold,
        businessHours: { start, end },
        timeZone,
        legalEntityNumber: legalEntity.trim() === "" ? null : legalEntity.trim(),
      });
      setSaved(true);
      loaded.reload();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <>
      <h1>
        {t("settings")} <span class="muted">{loaded.data.name}</span>
      </h1>
      <Section title={t("settings")}>
        <form onSubmit={submit} class="stack">
          <label>
            {t("approvalThreshold")}
            <input value={approval} onInput={(e) => setApproval(e.currentTarget.value)} inputMode="decimal" />
            <span class="muted">{t("approvalThresholdHelp")}</span>
            <FieldProblem problem={problem} path="/approvalThreshold" />
          </label>
          <label>
            {t("largeCashThreshold")}
            <input
              required
              value={largeCash}
              onInput={(e) => setLargeCash(e.currentTarget.value)}
              inputMode="decimal"
            />
            <FieldProblem problem={problem} path="/largeCashThreshold" />
          </label>
          <div class="inline">
            <label>
              {t("businessHoursStart")}
              <input type="time" required value={start} onInput={(e) => setStart(e.currentTarget.value)} />
            </label>
            <label>
              {t("businessHoursEnd")}
              <input type="time" required value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
            </label>
            <label>
              {t("timeZone")}
              <select
                value={timeZone}
                onChange={(e) => setTimeZone(e.currentTarget.value as Settings["timeZone"])}
              >
                {TIME_ZONES.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            {t("legalEntityNumber")}
            <input value={legalEntity} onInput={(e) => setLegalEntity(e.currentTarget.value)} />
            <FieldProblem problem={problem} path="/legalEntityNumber" />
          </label>
          <ProblemMessage problem={problem} />
          <button type="submit">{t("saveSettings")}</button>
          {saved && (
            <p role="status" class="ok">
              {t("settingsSaved")}
            </p>
          )}
        </form>
      </Section>
      <AccountTagsSection coopId={coopId} accounts={loaded.data.accounts} onTagged={loaded.reload} />
    </>
  );
};
