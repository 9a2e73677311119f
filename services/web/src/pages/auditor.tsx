import { useEffect, useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { cooperatives, events as listEvents, type StoredEvent, verify } from "../data.js";
import { dateTime } from "../format.js";
import { useWords } from "../i18n.js";
import type { Cooperative, Session } from "../types.js";
import { useLoad } from "../useLoad.js";
import { Loading, ProblemMessage, Section } from "./common.js";

/** Events per page of the event browser. */
const EVENTS_PER_PAGE = 25;

type Verification = Awaited<ReturnType<typeof verify>>;

const EventPages = ({ coop }: { coop: Cooperative }) => {
  const { t, language } = useWords();
  // The `after` of each page seen so far, so that "previous" goes back exactly.
  const [starts, setStarts] = useState<(number | undefined)[]>([undefined]);
  const after = starts[starts.length - 1];
  const page = useLoad(() => listEvents(coop.id, after, EVENTS_PER_PAGE), [coop.id, after]);
  if (page.data === null)
    return page.problem === null ? <Loading /> : <ProblemMessage problem={page.problem} />;
  const next = page.data.nextAfter;
  return (
    <>
      <table class="events">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t("events")}</th>
            <th scope="col">{t("date")}</th>
          </tr>
        </thead>
        <tbody>
          {page.data.events.map((event: StoredEvent) => (
            <tr key={event.revision}>
              <td>{event.revision}</td>
              <td>{event.type}</td>
              <td>{dateTime(event.recordedAt, coop.settings.timeZone, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="row">
        <button
          type="button"
          class="secondary"
          disabled={starts.length === 1}
          onClick={() => setStarts(starts.slice(0, -1))}
        >
          {t("previous")}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={next === null || page.data.events.length < EVENTS_PER_PAGE}
          onClick={() => setStarts([...starts, next ?? undefined])}
        >
          {t("next")}
        </button>
      </div>
    </>
  );
};

const CooperativeAudit = ({ coop }: { coop: Cooperative }) => {
  const { t } = useWords();
  const [result, setResult] = useState<Verification | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [browsing, setBrowsing] = useState(false);
  // Each cooperative's chain is checked as soon as the page opens; the button checks it again.
  useEffect(() => {
    void check();
  }, [coop.id]);
  const [checking, setChecking] = useState(false);
  const check = async () => {
    setProblem(null);
    setChecking(true);
    try {
      setResult(await verify(coop.id));
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setChecking(false);
    }
  };
  return (
    <Section title={`${coop.name} (${coop.regionCode})`}>
      <div class="row">
        <button type="button" onClick={check}>
          {t("verifyChain")}
        </button>
        <a
          class="button secondary"
          href={`/v1/cooperatives/${coop.id}/export?format=ledger`}
          download={`${coop.id}.ledger`}
        >
          {t("exportLedger")}
        </a>
        <button
          type="button"
          class="secondary"
          aria-expanded={browsing}
          onClick={() => setBrowsing(!browsing)}
        >
          {t("events")}
        </button>
      </div>
      {checking && <Loading />}
      {!checking &&
        result !== null &&
        (result.ok ? (
          <p class="ok" role="status" data-testid={`verify-${coop.id}`}>
            {t("chainOk")}: {result.events} {t("events").toLowerCase()} · {result.headHash?.slice(0, 16)}…
          </p>
        ) : (
          <p class="problem" role="status" data-testid={`verify-${coop.id}`}>
            {t("chainBroken")} #{result.firstBadRevision}: {result.reason}
          </p>
        ))}
      <ProblemMessage problem={problem} />
      {browsing && <EventPages coop={coop} />}
    </Section>
  );
};

export const AuditorPage = ({ session }: { session: Session }) => {
  const { t } = useWords();
  const loaded = useLoad(() => cooperatives(), [session.scope]);
  if (loaded.data === null)
    return loaded.problem === null ? <Loading /> : <ProblemMessage problem={loaded.problem} />;
  return (
    <>
      <h1>
        {t("audit")} <span class="muted">{session.scope}</span>
      </h1>
      {loaded.data.map((coop) => (
        <CooperativeAudit key={coop.id} coop={coop} />
      ))}
    </>
  );
};
