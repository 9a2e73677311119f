import { useEffect, useState } from "preact/hooks";
import { longDate } from "../format.js";
import { problemSentence, useWords } from "../i18n.js";
import { clearSent, discardItem, type OutboxItem, onOutboxChange, outboxItems } from "../offline/outbox.js";
import { go } from "../router.js";

/** Entries made on this device and their state: waiting, sent (with their number) or refused (with why). */
export const OutboxList = ({ coopId }: { coopId: string }) => {
  const { t, language } = useWords();
  const [items, setItems] = useState<OutboxItem[]>([]);
  useEffect(() => {
    const refresh = () => void outboxItems(coopId).then(setItems);
    refresh();
    return onOutboxChange(refresh);
  }, [coopId]);
  if (items.length === 0) return null;
  const correct = async (item: OutboxItem) => {
    sessionStorage.setItem(
      "bukubesar.correcting",
      JSON.stringify({ body: item.body, problem: item.problem ?? null }),
    );
    if (item.id !== undefined) await discardItem(item.id);
    go(`/entry/correct/${item.id ?? 0}`);
  };
  return (
    <section class="card outbox" aria-live="polite">
      <h2>{t("outbox")}</h2>
      <ul class="plain">
        {items.map((item) => (
          <li key={item.id} class={`outbox-${item.state}`} data-state={item.state}>
            <span class={`badge ${item.state}`}>{t(item.state)}</span> {longDate(item.body.date, language)} ·{" "}
            {item.body.memo}
            {item.state === "sent" &&
              (item.sequence === null || item.sequence === undefined
                ? ` · ${t("pendingApproval")}`
                : ` · ${t("number")} ${item.sequence}`)}
            {item.state === "refused" && (
              <>
                <p class="problem">{problemSentence(language, item.problem?.code ?? "internal_error")}</p>
                <button type="button" onClick={() => correct(item)}>
                  {t("correct")}
                </button>{" "}
                <button
                  type="button"
                  class="secondary"
                  onClick={() => item.id !== undefined && discardItem(item.id)}
                >
                  {t("discard")}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {items.some((item) => item.state === "sent") && (
        <button type="button" class="secondary" onClick={() => clearSent(coopId)}>
          OK
        </button>
      )}
    </section>
  );
};
