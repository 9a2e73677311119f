import { useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { exitMember, reverseMemberExit } from "../data.js";
import { useWords } from "../i18n.js";
import type { Account, Member } from "../types.js";
import { FieldProblem, ProblemMessage, Section } from "./common.js";

/** Where an exit's settlement goes when it is not paid out on the day (docs/accounting.md section 2). */
const OWED_UNTIL_PAID = "2103";

/** The member a form is about, chosen among `members` (active ones for an exit, exited ones to reverse it). */
const MemberSelect = ({
  members,
  value,
  onChange,
  problem,
}: {
  members: readonly Member[];
  value: string;
  onChange: (memberId: string) => void;
  problem: Problem | null;
}) => {
  const { t } = useWords();
  return (
    <label>
      {t("member")}
      <select required value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">—</option>
        {members.map((member) => (
          <option key={member.memberId} value={member.memberId}>
            {member.memberId} {member.name}
          </option>
        ))}
      </select>
      <FieldProblem problem={problem} path="/memberId" />
    </label>
  );
};

/** The day a change takes effect (today unless chosen) and the reason recorded with it. */
const DateAndReason = ({
  dateLabel,
  date,
  onDate,
  reason,
  onReason,
  problem,
}: {
  dateLabel: string;
  date: string;
  onDate: (date: string) => void;
  reason: string;
  onReason: (reason: string) => void;
  problem: Problem | null;
}) => {
  const { t } = useWords();
  return (
    <>
      <label>
        {dateLabel}
        <input type="date" value={date} onInput={(e) => onDate(e.currentTarget.value)} />
        <FieldProblem problem={problem} path="/date" />
      </label>
      <label class="grow">
        {t("reason")}
        <input required maxLength={1000} value={reason} onInput={(e) => onReason(e.currentTarget.value)} />
      </label>
    </>
  );
};

/**
 * The treasurer records a member's exit: one member_exit entry settles their simpanan pokok, wajib,
 * sukarela and SHU owed, paid from a cash or bank account or owed on 2103 until paid. Above the approval
 * threshold the settlement waits for the approver, which the answer says.
 */
export const MemberExitForm = ({
  coopId,
  today,
  members,
  cashAccounts,
  onRecorded,
}: {
  coopId: string;
  today: string;
  members: readonly Member[];
  cashAccounts: readonly Account[];
  onRecorded: () => void;
}) => {
  const { t } = useWords();
  const active = members.filter((member) => (member.exitedOn ?? null) === null);
  const [memberId, setMemberId] = useState("");
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const [settlementAccount, setSettlementAccount] = useState(OWED_UNTIL_PAID);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [outcome, setOutcome] = useState<"recorded" | "pending" | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    setOutcome(null);
    try {
      const body = { date: date || today, reason, settlementAccount };
      const answer = await exitMember(coopId, memberId, body, crypto.randomUUID());
      setOutcome(answer.entry?.status === "pending_approval" ? "pending" : "recorded");
      setReason("");
      onRecorded();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <Section title={t("memberExit")}>
      <form class="inline" onSubmit={submit}>
        <MemberSelect members={active} value={memberId} onChange={setMemberId} problem={problem} />
        <DateAndReason
          dateLabel={t("exitedOn")}
          date={date || today}
          onDate={setDate}
          reason={reason}
          onReason={setReason}
          problem={problem}
        />
        <label>
          {t("settlementAccount")}
          <select value={settlementAccount} onChange={(e) => setSettlementAccount(e.currentTarget.value)}>
            <option value={OWED_UNTIL_PAID}>{t("owedUntilPaid")}</option>
            {cashAccounts.map((account) => (
              <option key={account.code} value={account.code}>
                {account.code} {account.name}
              </option>
            ))}
          </select>
          <FieldProblem problem={problem} path="/settlementAccount" />
        </label>
        <button type="submit">{t("recordExit")}</button>
      </form>
      <ProblemMessage problem={problem} />
      {outcome !== null && (
        <p role="status">{t(outcome === "pending" ? "exitAwaitingApproval" : "exitRecorded")}</p>
      )}
    </Section>
  );
};

/**
 * An exit recorded by mistake, or withdrawn, is reversed: the exit entry is mirrored on the day given and
 * the member is a member again. Refusals (a payment of the settlement already made, a closed month) show
 * next to their field.
 */
export const ReverseExitForm = ({
  coopId,
  today,
  members,
  onReversed,
}: {
  coopId: string;
  today: string;
  members: readonly Member[];
  onReversed: () => void;
}) => {
  const { t } = useWords();
  const exited = members.filter((member) => (member.exitedOn ?? null) !== null);
  const [memberId, setMemberId] = useState("");
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [reversed, setReversed] = useState(false);
  if (exited.length === 0 && !reversed) return null;
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    setReversed(false);
    try {
      await reverseMemberExit(coopId, memberId, { date: date || today, reason }, crypto.randomUUID());
      setReversed(true);
      setReason("");
      onReversed();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <Section title={t("reverseExit")}>
      <form class="inline" onSubmit={submit}>
        <MemberSelect members={exited} value={memberId} onChange={setMemberId} problem={problem} />
        <DateAndReason
          dateLabel={t("date")}
          date={date || today}
          onDate={setDate}
          reason={reason}
          onReason={setReason}
          problem={problem}
        />
        <button type="submit">{t("reverseExit")}</button>
      </form>
      <ProblemMessage problem={problem} />
      {reversed && <p role="status">{t("exitReversed")}</p>}
    </Section>
  );
};
