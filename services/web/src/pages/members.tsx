import { useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { cooperative, members as listMembers, registerMember } from "../data.js";
import { longDate, todayIn } from "../format.js";
import { useWords } from "../i18n.js";
import { useLoad } from "../useLoad.js";
import { FieldProblem, Loading, ProblemMessage, Section } from "./common.js";
import { MemberExitForm, ReverseExitForm } from "./memberExit.js";

export const MembersPage = ({ coopId, canRegister }: { coopId: string; canRegister: boolean }) => {
  const { t, language } = useWords();
  const loaded = useLoad(async () => {
    const coop = await cooperative(coopId);
    const cashAccounts = coop.accounts.filter((account) => account.noOverdraft && account.open);
    return { today: todayIn(coop.settings.timeZone), members: await listMembers(coopId), cashAccounts };
  }, [coopId]);
  const [memberId, setMemberId] = useState("");
  const [name, setName] = useState("");
  const [joinedOn, setJoinedOn] = useState("");
  const [role, setRole] = useState("member");
  const [problem, setProblem] = useState<Problem | null>(null);
  if (loaded.data === null)
    return loaded.problem === null ? <Loading /> : <ProblemMessage problem={loaded.problem} />;
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    try {
      await registerMember(coopId, {
        memberId,
        name,
        joinedOn: joinedOn || (loaded.data?.today ?? ""),
        role,
      });
      setMemberId("");
      setName("");
      loaded.reload();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <>
      <h1>{t("members")}</h1>
      {canRegister && (
        <Section title={t("registerMember")}>
          <form class="inline" onSubmit={submit}>
            <label>
              {t("memberId")}
              <input
                required
                value={memberId}
                onInput={(e) => setMemberId(e.currentTarget.value)}
                aria-describedby="member-id-problem"
              />
              <span id="member-id-problem">
                <FieldProblem problem={problem} path="/memberId" />
              </span>
            </label>
            <label class="grow">
              {t("name")}
              <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label>
              {t("joinedOn")}
              <input
                type="date"
                value={joinedOn || loaded.data.today}
                onInput={(e) => setJoinedOn(e.currentTarget.value)}
              />
            </label>
            <label>
              {t("role")}
              <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
                <option value="member">anggota</option>
                <option value="pengurus">pengurus</option>
                <option value="pengawas">pengawas</option>
              </select>
            </label>
            <button type="submit">{t("registerMember")}</button>
          </form>
          <ProblemMessage problem={problem} />
        </Section>
      )}
      {canRegister && (
        <MemberExitForm
          coopId={coopId}
          today={loaded.data.today}
          members={loaded.data.members}
          cashAccounts={loaded.data.cashAccounts}
          onRecorded={loaded.reload}
        />
      )}
      {canRegister && (
        <ReverseExitForm
          coopId={coopId}
          today={loaded.data.today}
          members={loaded.data.members}
          onReversed={loaded.reload}
        />
      )}
      <Section title={`${t("members")} (${loaded.data.members.length})`}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("memberId")}</th>
              <th scope="col">{t("name")}</th>
              <th scope="col">{t("joinedOn")}</th>
              <th scope="col">{t("exitedOn")}</th>
              <th scope="col">{t("statement")}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.members.map((member) => (
              <tr key={member.memberId}>
                <td>{member.memberId}</td>
                <td>{member.name}</td>
                <td>{longDate(member.joinedOn, language)}</td>
                <td>{member.exitedOn ? longDate(member.exitedOn, language) : "—"}</td>
                <td>
                  <a
                    href={`/v1/cooperatives/${coopId}/members/${encodeURIComponent(member.memberId)}/statement?format=pdf`}
                    download
                  >
                    PDF
                  </a>{" "}
                  <a
                    href={`/v1/cooperatives/${coopId}/members/${encodeURIComponent(member.memberId)}/statement?format=csv`}
                    download
                  >
                    CSV
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
};
