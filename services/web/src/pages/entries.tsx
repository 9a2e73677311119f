import { useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { closePeriod, cooperative, entries as listEntries, reverseEntry } from "../data.js";
import { longDate, todayIn } from "../format.js";
import { useWords } from "../i18n.js";
import type { Entry } from "../types.js";
import { useLoad } from "../useLoad.js";
import { Loading, ProblemMessage, Section } from "./common.js";
import { EntryLines } from "./entryLines.js";

/** How many entries the list shows, newest first. */
const ENTRIES_SHOWN = 50;

const ReverseForm = ({
  coopId,
  entry,
  today,
  onDone,
}: {
  coopId: string;
  entry: Entry;
  today: string;
  onDone: () => void;
}) => {
  const { t } = useWords();
  const [reason, setReason] = useState("");
  const [date, setDate] = useState(today);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await reverseEntry(coopId, entry.entryId, date, reason);
      onDone();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <form class="inline" onSubmit={submit}>
      <label>
        {t("date")}
        <input type="date" value={date} required onInput={(e) => setDate(e.currentTarget.value)} />
      </label>
      <label class="grow">
        {t("reason")}
        <input required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <button type="submit">{t("reverse")}</button>
      <ProblemMessage problem={problem} />
    </form>
  );
};

const MonthClose = ({ coopId, today }: { coopId: string; today: string }) => {
  const { t } = useWords();
  const [period, setPeriod] = useState(today.slice(0, 7));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    try {
      const closed = await closePeriod(coopId, period);
      setDone(closed.period);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <Section title={t("closeMonth")}>
      <form class="inline" onSubmit={submit}>
        <label>
          {t("period")}
          <input type="month" value={period} required onInput={(e) => setPeriod(e.currentTarget.value)} />
        </label>
        <button type="submit">{t("closeMonth")}</button>
      </form>
      {done !== null && (
        <p role="status">
          {t("monthClosed")}: {done}
        </p>
      )}
      <ProblemMessage problem={problem} />
    </Section>
  );
};

export const EntriesPage = ({ coopId, canChange }: { coopId: string; canChange: boolean }) => {
  const { t, language } = useWords();
  const [reversing, setReversing] = useState<string | null>(null);
  const loaded = useLoad(async () => {
    const coop = await cooperative(coopId);
    return { today: todayIn(coop.settings.timeZone), all: await listEntries(coopId) };
  }, [coopId]);
  if (loaded.data === null)
    return loaded.problem === null ? <Loading /> : <ProblemMessage problem={loaded.problem} />;
  const { today, all } = loaded.data;
  const shown = all.slice(-ENTRIES_SHOWN).reverse();
  return (
    <>
      <h1>{t("entries")}</h1>
      {canChange && <MonthClose coopId={coopId} today={today} />}
      <Section title={t("latestEntries")}>
        <ul class="plain entries">
          {shown.map((entry) => (
            <li key={entry.entryId}>
              <div>
                <strong>{entry.sequence === undefined ? "–" : `#${entry.sequence}`}</strong>{" "}
                {longDate(entry.date, language)} · {entry.memo}{" "}
                <span class={`badge ${entry.status}`}>{entry.status.replace("_", " ")}</span>
                {entry.reversedBy !== undefined && <span class="muted"> ({t("reversed")})</span>}
              </div>
              <EntryLines lines={entry.lines} />
              {canChange &&
                entry.status === "posted" &&
                entry.reversedBy === undefined &&
                entry.reverses === undefined &&
                (reversing === entry.entryId ? (
                  <ReverseForm
                    coopId={coopId}
                    entry={entry}
                    today={today}
                    onDone={() => {
                      setReversing(null);
                      loaded.reload();
                    }}
                  />
                ) : (
                  <button type="button" class="secondary" onClick={() => setReversing(entry.entryId)}>
                    {t("reverse")}
                  </button>
                ))}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
};
