import { formatRupiah, fromSen, parseWrittenAmount, toSen, toWire } from "@bukubesar/money";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Problem } from "../api/client.js";
import { cooperative, type EntryBody, members as listMembers } from "../data.js";
import { todayIn } from "../format.js";
import { useWords } from "../i18n.js";
import { cachedRead } from "../offline/cached.js";
import { enqueueEntry, flushOutbox, onOutboxChange, outboxItems } from "../offline/outbox.js";
import { COUNTERPARTIES, UNITS } from "../types.js";
import { useLoad } from "../useLoad.js";
import { FieldProblem, Loading, ProblemMessage } from "./common.js";
import { OutboxList } from "./outboxList.js";

interface LineDraft {
  readonly key: number;
  account: string;
  side: "debit" | "credit";
  amount: string;
  memberId: string;
  unit: string;
  counterparty: string;
}

let nextLineKey = 1;
const emptyLine = (side: "debit" | "credit"): LineDraft => ({
  key: nextLineKey++,
  account: "",
  side,
  amount: "",
  memberId: "",
  unit: "",
  counterparty: "",
});

/** The account code at the start of what was typed or picked ("1101 Kas Besar" → "1101"). */
const accountCodeOf = (text: string): string => text.trim().split(/\s+/)[0] ?? "";

/** An amount in sen, or null when it cannot be read (then the field says so). */
const senOf = (text: string): bigint | null => {
  if (text.trim() === "") return 0n;
  const parsed = parseWrittenAmount(text);
  return parsed._tag === "Left" ? null : toSen(parsed.right);
};

const toBody = (date: string, memo: string, lines: readonly LineDraft[], adjusting = false): EntryBody => ({
  date,
  memo,
  ...(adjusting ? { kind: "adjusting" as const } : {}),
  lines: lines.map((line) => {
    const parsed = parseWrittenAmount(line.amount);
    const amount = parsed._tag === "Left" ? line.amount : toWire(parsed.right);
    return {
      account: accountCodeOf(line.account),
      [line.side]: amount,
      ...(line.memberId !== "" ? { memberId: line.memberId } : {}),
      ...(line.unit !== "" ? { unit: line.unit } : {}),
      ...(line.counterparty !== "" ? { counterparty: line.counterparty } : {}),
    };
  }),
});

/** A refused entry being corrected comes back into the form with what was typed. */
const draftFromBody = (body: EntryBody): LineDraft[] =>
  body.lines.map((line) => ({
    ...emptyLine(line.debit !== undefined ? "debit" : "credit"),
    account: line.account ?? "",
    amount: (line.debit ?? line.credit ?? "").replace(".", ","),
    memberId: line.memberId ?? "",
    unit: line.unit ?? "",
    counterparty: line.counterparty ?? "",
  }));

/** One line of the entry: account, side, amount, member, unit and counterparty, each with its problem. */
const LineFields = ({
  line,
  index,
  amountError,
  members,
  problem,
  update,
  remove,
}: {
  line: LineDraft;
  index: number;
  amountError: boolean;
  members: readonly { readonly memberId: string; readonly name: string }[];
  problem: Problem | null;
  update: (change: Partial<LineDraft>) => void;
  remove: (() => void) | null;
}) => {
  const { t } = useWords();
  const label = `${t("line")} ${index + 1}`;
  return (
    <fieldset class="line">
      <legend>{label}</legend>
      <label class="grow">
        {t("account")}
        <input
          name={`account-${index}`}
          list="accounts"
          required
          placeholder={t("accountSearch")}
          value={line.account}
          onInput={(e) => update({ account: e.currentTarget.value })}
        />
        <FieldProblem problem={problem} path={`/lines/${index}/account`} />
      </label>
      <label>
        {t("side")}
        <select
          name={`side-${index}`}
          value={line.side}
          onChange={(e) => update({ side: e.currentTarget.value as "debit" | "credit" })}
        >
          <option value="debit">{t("debit")}</option>
          <option value="credit">{t("credit")}</option>
        </select>
      </label>
      <label>
        {t("amount")}
        <input
          name={`amount-${index}`}
          inputMode="decimal"
          required
          placeholder="50.000,00"
          aria-invalid={amountError}
          value={line.amount}
          onInput={(e) => update({ amount: e.currentTarget.value })}
        />
        {amountError && <span class="field-problem">{t("amount")}: 50.000 / 50.000,50 / Rp50.000</span>}
        <FieldProblem problem={problem} path={`/lines/${index}/${line.side}`} />
      </label>
      <label>
        {t("member")}
        <select
          name={`member-${index}`}
          value={line.memberId}
          onChange={(e) => update({ memberId: e.currentTarget.value })}
        >
          <option value="">{t("noMember")}</option>
          {members.map((member) => (
            <option key={member.memberId} value={member.memberId}>
              {member.memberId} {member.name}
            </option>
          ))}
        </select>
        <FieldProblem problem={problem} path={`/lines/${index}/memberId`} />
      </label>
      <label>
        {t("unit")}
        <select
          name={`unit-${index}`}
          value={line.unit}
          onChange={(e) => update({ unit: e.currentTarget.value })}
        >
          <option value="">{t("none")}</option>
          {UNITS.map((unit) => (
            <option key={unit} value={unit}>
              {unit.replace("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("counterparty")}
        <select
          name={`counterparty-${index}`}
          value={line.counterparty}
          onChange={(e) => update({ counterparty: e.currentTarget.value })}
        >
          <option value="">{t("none")}</option>
          {COUNTERPARTIES.map((counterparty) => (
            <option key={counterparty} value={counterparty}>
              {counterparty.replace("_", " ")}
            </option>
          ))}
        </select>
      </label>
      {remove !== null && (
        <button type="button" class="secondary" onClick={remove}>
          {t("removeLine")} {index + 1}
        </button>
      )}
    </fieldset>
  );
};

/** The entry's date and memo, each with its problem when a refused entry is being corrected. */
const DateAndMemo = ({
  date,
  memo,
  problem,
  setDate,
  setMemo,
}: {
  date: string;
  memo: string;
  problem: Problem | null;
  setDate: (date: string) => void;
  setMemo: (memo: string) => void;
}) => {
  const { t } = useWords();
  return (
    <div class="row">
      <label>
        {t("date")}
        <input
          type="date"
          name="date"
          required
          value={date}
          onInput={(e) => setDate(e.currentTarget.value)}
        />
        <FieldProblem problem={problem} path="/date" />
      </label>
      <label class="grow">
        {t("memo")}
        <input
          name="memo"
          required
          maxLength={1000}
          value={memo}
          onInput={(e) => setMemo(e.currentTarget.value)}
        />
        <FieldProblem problem={problem} path="/memo" />
      </label>
    </div>
  );
};

/** The debit and credit totals and their difference, announced as they change. */
const EntryTotals = ({ debit, credit }: { debit: bigint; credit: bigint }) => {
  const { t } = useWords();
  const difference = debit - credit;
  return (
    <dl class="totals" id="entry-difference" aria-live="polite">
      <dt>{t("totalDebit")}</dt>
      <dd>{formatRupiah(fromSen(debit))}</dd>
      <dt>{t("totalCredit")}</dt>
      <dd>{formatRupiah(fromSen(credit))}</dd>
      <dt>{t("difference")}</dt>
      <dd class={difference === 0n ? "ok" : "warn"} data-testid="difference">
        {difference === 0n
          ? t("balanced")
          : formatRupiah(fromSen(difference < 0n ? -difference : difference))}
      </dd>
    </dl>
  );
};

/** The cooperative (its accounts and settings) and its members, from the offline cache when offline. */
const useReference = (coopId: string) =>
  useLoad(async () => {
    const [coop, members] = await Promise.all([
      cachedRead(`coop.${coopId}`, () => cooperative(coopId)),
      cachedRead(`members.${coopId}`, () => listMembers(coopId)),
    ]);
    return { coop, members };
  }, [coopId]);

/** A refused entry handed over for correction (taken once, so a reload opens an empty form). */
const useCorrecting = () =>
  useMemo(() => {
    const kept = sessionStorage.getItem("bukubesar.correcting");
    sessionStorage.removeItem("bukubesar.correcting");
    return kept === null ? null : (JSON.parse(kept) as { body: EntryBody; problem: Problem | null });
  }, []);

/** The fate of the entry just saved: shown under the form (sent with its number, refused with the reason). */
const useOutboxProblem = (coopId: string, submitted: number | null): Problem | null => {
  const [outboxProblem, setOutboxProblem] = useState<Problem | null>(null);
  useEffect(() => {
    if (submitted === null) return;
    const check = () =>
      void outboxItems(coopId).then((items) => {
        const item = items.find((candidate) => candidate.id === submitted);
        setOutboxProblem(item?.state === "refused" ? (item.problem ?? null) : null);
      });
    return onOutboxChange(check);
  }, [submitted, coopId]);
  return outboxProblem;
};

export const EntryForm = ({ coopId }: { coopId: string }) => {
  const { t } = useWords();
  const reference = useReference(coopId);
  const correcting = useCorrecting();
  const [date, setDate] = useState(correcting?.body.date ?? "");
  const [memo, setMemo] = useState(correcting?.body.memo ?? "");
  const [lines, setLines] = useState<LineDraft[]>(
    correcting === null ? [emptyLine("debit"), emptyLine("credit")] : draftFromBody(correcting.body),
  );
  const [adjusting, setAdjusting] = useState(correcting?.body.kind === "adjusting");
  const [submitted, setSubmitted] = useState<number | null>(null);
  // The problem of a refused entry being corrected: each field error is shown next to its field.
  const [correctionProblem, setCorrectionProblem] = useState<Problem | null>(correcting?.problem ?? null);
  const outboxProblem = useOutboxProblem(coopId, submitted);
  useEffect(() => {
    if (reference.data !== null && date === "") setDate(todayIn(reference.data.coop.settings.timeZone));
  }, [reference.data, date]);

  if (reference.data === null)
    return reference.problem === null ? <Loading /> : <ProblemMessage problem={reference.problem} />;
  const { coop, members } = reference.data;
  const accounts = coop.accounts.filter((account) => account.open && account.postable);
  const amounts = lines.map((line) => senOf(line.amount));
  const total = (side: "debit" | "credit") =>
    lines.reduce((sum, line, index) => (line.side === side ? sum + (amounts[index] ?? 0n) : sum), 0n);
  const difference = total("debit") - total("credit");
  const unreadable = amounts.some((amount) => amount === null);
  const update = (key: number, change: Partial<LineDraft>) =>
    setLines((current) => current.map((line) => (line.key === key ? { ...line, ...change } : line)));

  const submit = async (event: Event) => {
    event.preventDefault();
    setCorrectionProblem(null);
    // The form is cleared before anything is awaited, so that what is typed next is never wiped.
    const body = toBody(date, memo, lines, adjusting);
    setMemo("");
    setAdjusting(false);
    setLines([emptyLine("debit"), emptyLine("credit")]);
    setSubmitted(await enqueueEntry(coopId, body));
    await flushOutbox();
  };

  return (
    <>
      <h1>{t("newEntry")}</h1>
      <form class="card entry-form" onSubmit={submit} aria-describedby="entry-difference">
        <DateAndMemo
          date={date}
          memo={memo}
          problem={correctionProblem}
          setDate={setDate}
          setMemo={setMemo}
        />
        <label class="check">
          <input
            type="checkbox"
            name="adjusting"
            checked={adjusting}
            onChange={(e) => setAdjusting(e.currentTarget.checked)}
          />
          {t("adjustingEntry")}
        </label>
        <datalist id="accounts">
          {accounts.map((account) => (
            <option key={account.code} value={`${account.code} ${account.name}`} />
          ))}
        </datalist>
        {lines.map((line, index) => (
          <LineFields
            key={line.key}
            line={line}
            index={index}
            amountError={amounts[index] === null}
            members={members}
            problem={correctionProblem}
            update={(change) => update(line.key, change)}
            remove={lines.length > 2 ? () => setLines(lines.filter((other) => other.key !== line.key)) : null}
          />
        ))}
        <button
          type="button"
          class="secondary"
          onClick={() => setLines([...lines, emptyLine(difference > 0n ? "credit" : "debit")])}
        >
          {t("addLine")}
        </button>
        <EntryTotals debit={total("debit")} credit={total("credit")} />
        <ProblemMessage problem={correctionProblem} />
        <button type="submit" disabled={unreadable || difference !== 0n || total("debit") === 0n}>
          {t("save")}
        </button>
      </form>
      {outboxProblem !== null && <ProblemMessage problem={outboxProblem} />}
      <OutboxList coopId={coopId} />
    </>
  );
};
