import { useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { approveEntry, pendingEntries, rejectEntry } from "../data.js";
import { longDate } from "../format.js";
import { useWords } from "../i18n.js";
import type { Entry, Session } from "../types.js";
import { useLoad } from "../useLoad.js";
import { Loading, ProblemMessage, Section } from "./common.js";
import { EntryLines } from "./entryLines.js";

const PendingEntry = ({
  coopId,
  entry,
  session,
  onDone,
}: {
  coopId: string;
  entry: Entry;
  session: Session;
  onDone: () => void;
}) => {
  const { t, language } = useWords();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const own = entry.proposedBy === session.principalId;
  const act = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
      onDone();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  const explanation = `own-${entry.entryId}`;
  return (
    <li class="card pending" data-entry={entry.entryId}>
      <h3>
        {longDate(entry.date, language)} · {entry.memo}
      </h3>
      <p class="muted">
        {t("proposedBy")} {entry.proposedBy}
      </p>
      <EntryLines lines={entry.lines} />
      {own && (
        <p id={explanation} class="note">
          {t("ownProposal")}
        </p>
      )}
      <div class="row">
        <button
          type="button"
          disabled={own}
          aria-describedby={own ? explanation : undefined}
          onClick={() => act(() => approveEntry(coopId, entry.entryId))}
        >
          {t("approve")}
        </button>
        <label class="grow">
          {t("reason")}
          <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <button
          type="button"
          class="danger"
          disabled={own || reason.trim() === ""}
          onClick={() => act(() => rejectEntry(coopId, entry.entryId, reason.trim()))}
        >
          {t("reject")}
        </button>
      </div>
      <ProblemMessage problem={problem} />
    </li>
  );
};

export const ApproverQueue = ({ coopId, session }: { coopId: string; session: Session }) => {
  const { t } = useWords();
  const loaded = useLoad(() => pendingEntries(coopId), [coopId]);
  if (loaded.data === null)
    return loaded.problem === null ? <Loading /> : <ProblemMessage problem={loaded.problem} />;
  return (
    <>
      <h1>{t("approvals")}</h1>
      <Section title={`${t("pendingApproval")} (${loaded.data.length})`}>
        {loaded.data.length === 0 ? (
          <p>{t("nothing")}</p>
        ) : (
          <ul class="plain">
            {loaded.data.map((entry) => (
              <PendingEntry
                key={entry.entryId}
                coopId={coopId}
                entry={entry}
                session={session}
                onDone={loaded.reload}
              />
            ))}
          </ul>
        )}
      </Section>
    </>
  );
};
