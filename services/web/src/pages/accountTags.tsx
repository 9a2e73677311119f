import { useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { tagAccount } from "../data.js";
import { useWords } from "../i18n.js";
import type { Account } from "../types.js";
import { FieldProblem, ProblemMessage, Section } from "./common.js";

/** The tags the form offers, each as the body it sends (docs/api.md, POST …/accounts/{code}/tags). */
const TAGS = {
  memberControl: { memberControl: true },
  member: { businessWith: "member" },
  nonMember: { businessWith: "non_member" },
  systemAccount: { systemAccount: true },
} as const;
type TagChoice = keyof typeof TAGS;
const TAG_WORDS = {
  memberControl: "tagMemberControl",
  member: "tagMemberBusiness",
  nonMember: "tagNonMemberBusiness",
  systemAccount: "tagSystemAccount",
} as const;

/** An account's tags as short words beside its name in the list ("anggota", "sistem"). */
const tagsOf = (account: Account): string =>
  [
    account.memberControl ? "buku pembantu anggota" : null,
    account.businessWith === "member"
      ? "anggota"
      : account.businessWith === "non_member"
        ? "non-anggota"
        : null,
    account.systemAccount ? "sistem" : null,
  ]
    .filter((word) => word !== null)
    .join(", ");

/**
 * The admin tags an account of a chart opened before the control tags existed, so that a member's exit
 * settles simpanan wajib posted there and member revenue is read from the tag. A tag the account's history
 * contradicts, or one that would change a tag already set, is refused with the reason shown.
 */
export const AccountTagsSection = ({
  coopId,
  accounts,
  onTagged,
}: {
  coopId: string;
  accounts: readonly Account[];
  onTagged: () => void;
}) => {
  const { t } = useWords();
  const [code, setCode] = useState("");
  const [choice, setChoice] = useState<TagChoice>("memberControl");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    setDone(false);
    try {
      await tagAccount(coopId, code, TAGS[choice]);
      setDone(true);
      onTagged();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <Section title={t("accountTags")}>
      <form class="inline" onSubmit={submit}>
        <label class="grow">
          {t("account")}
          <select required value={code} onChange={(e) => setCode(e.currentTarget.value)}>
            <option value="">—</option>
            {accounts
              .filter((account) => account.open && account.postable)
              .map((account) => {
                const tags = tagsOf(account);
                return (
                  <option key={account.code} value={account.code}>
                    {account.code} {account.name}
                    {tags === "" ? "" : ` (${tags})`}
                  </option>
                );
              })}
          </select>
        </label>
        <label>
          {t("tag")}
          <select value={choice} onChange={(e) => setChoice(e.currentTarget.value as TagChoice)}>
            {(Object.keys(TAGS) as TagChoice[]).map((key) => (
              <option key={key} value={key}>
                {t(TAG_WORDS[key])}
              </option>
            ))}
          </select>
          <FieldProblem problem={problem} path="/memberControl" />
          <FieldProblem problem={problem} path="/businessWith" />
          <FieldProblem problem={problem} path="/systemAccount" />
        </label>
        <button type="submit">{t("setTag")}</button>
      </form>
      <ProblemMessage problem={problem} />
      {done && (
        <p role="status" class="ok">
          {t("tagSet")}
        </p>
      )}
    </Section>
  );
};
