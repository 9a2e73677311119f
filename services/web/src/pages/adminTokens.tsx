/**
 * The admin's token page: issue a token for a role and scope and show it once, as text and as a QR code
 * the new user scans at sign-in; list the principals whose tokens work and revoke one. The token is held
 * only in this page's memory until "Done" and is never stored (docs/api.md, Principals and scopes).
 */
import { useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { issueToken, principals, revokeToken } from "../data.js";
import { dateTime } from "../format.js";
import { useWords } from "../i18n.js";
import type { Principal, Role } from "../types.js";
import { useLoad } from "../useLoad.js";
import { FieldProblem, Loading, ProblemMessage, Section } from "./common.js";
import { QrCode } from "./qrCode.js";

const ROLES: readonly Role[] = ["treasurer", "approver", "supervisor", "auditor", "admin"];
/** Expiry instants are shown in Western Indonesian time, where the admin of a Dinas works. */
const ADMIN_TIME_ZONE = "Asia/Jakarta";

const IssuedToken = ({ issued, onDone }: { issued: Principal & { token: string }; onDone: () => void }) => {
  const { t } = useWords();
  return (
    <Section title={t("newToken")}>
      <div class="issued" data-testid="issued-token">
        <QrCode text={issued.token} label={`${t("tokenQr")}: ${issued.name}`} />
        <div>
          <p>
            {issued.name} · {issued.role} · {issued.scope}
          </p>
          <p class="note">{t("tokenShownOnce")}</p>
          <label>
            {t("token")}
            <input
              readOnly
              value={issued.token}
              class="token-text"
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
          <button type="button" onClick={onDone}>
            {t("done")}
          </button>
        </div>
      </div>
    </Section>
  );
};

const IssueTokenForm = ({ onIssued }: { onIssued: (issued: Principal & { token: string }) => void }) => {
  const { t } = useWords();
  const [role, setRole] = useState<Role>("treasurer");
  const [scope, setScope] = useState("");
  const [name, setName] = useState("");
  const [expiresOn, setExpiresOn] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    try {
      const issued = await issueToken({
        role,
        scope: role === "admin" ? "*" : scope.trim(),
        name: name.trim(),
        ...(expiresOn === "" ? {} : { expiresAt: new Date(`${expiresOn}T23:59:59+07:00`).toISOString() }),
      });
      setName("");
      onIssued(issued);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <Section title={t("issueToken")}>
      <form class="inline" onSubmit={submit}>
        <label>
          {t("role")}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((candidate) => (
              <option key={candidate} value={candidate}>
                {candidate}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("scope")}
          <input
            required={role !== "admin"}
            disabled={role === "admin"}
            value={role === "admin" ? "*" : scope}
            onInput={(e) => setScope(e.currentTarget.value)}
            aria-describedby="scope-help"
          />
          <span id="scope-help" class="muted">
            {t("scopeHelp")}
          </span>
          <FieldProblem problem={problem} path="/scope" />
        </label>
        <label class="grow">
          {t("name")}
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t("expiresOn")}
          <input type="date" value={expiresOn} onInput={(e) => setExpiresOn(e.currentTarget.value)} />
          <FieldProblem problem={problem} path="/expiresAt" />
        </label>
        <button type="submit">{t("issueToken")}</button>
      </form>
      <ProblemMessage problem={problem} />
    </Section>
  );
};

const PrincipalRow = ({
  principal,
  self,
  onRevoked,
}: {
  principal: Principal;
  self: boolean;
  onRevoked: () => void;
}) => {
  const { t, language } = useWords();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const revoke = async () => {
    setProblem(null);
    try {
      await revokeToken(principal.principalId);
      onRevoked();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <tr data-principal={principal.principalId}>
      <td>{principal.name}</td>
      <td>{principal.role}</td>
      <td>{principal.scope}</td>
      <td>
        {principal.expiresAt === undefined ? "–" : dateTime(principal.expiresAt, ADMIN_TIME_ZONE, language)}
      </td>
      <td>
        {self ? (
          <span class="muted">{t("you")}</span>
        ) : confirming ? (
          <span class="row">
            <button type="button" class="danger" onClick={revoke}>
              {t("confirmRevoke")}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t("cancel")}
            </button>
          </span>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() => setConfirming(true)}
            aria-label={`${t("revoke")}: ${principal.name}`}
          >
            {t("revoke")}
          </button>
        )}
        <ProblemMessage problem={problem} />
      </td>
    </tr>
  );
};

export const AdminTokens = ({ selfId }: { selfId: string }) => {
  const { t } = useWords();
  const loaded = useLoad(principals, []);
  const [issued, setIssued] = useState<(Principal & { token: string }) | null>(null);
  return (
    <>
      <h1>{t("tokens")}</h1>
      {issued === null ? (
        <IssueTokenForm
          onIssued={(fresh) => {
            setIssued(fresh);
            loaded.reload();
          }}
        />
      ) : (
        <IssuedToken issued={issued} onDone={() => setIssued(null)} />
      )}
      {loaded.data === null ? (
        loaded.problem === null ? (
          <Loading />
        ) : (
          <ProblemMessage problem={loaded.problem} />
        )
      ) : (
        <Section title={`${t("principals")} (${loaded.data.length})`}>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("name")}</th>
                  <th scope="col">{t("role")}</th>
                  <th scope="col">{t("scope")}</th>
                  <th scope="col">{t("expiresOn")}</th>
                  <th scope="col">{t("revoke")}</th>
                </tr>
              </thead>
              <tbody>
                {loaded.data.map((principal) => (
                  <PrincipalRow
                    key={principal.principalId}
                    principal={principal}
                    self={principal.principalId === selfId}
                    onRevoked={loaded.reload}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      )}
    </>
  );
};
