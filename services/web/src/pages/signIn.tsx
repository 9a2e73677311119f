import { useState } from "preact/hooks";
import { ApiError, type Problem } from "../api/client.js";
import { signIn } from "../data.js";
import { useWords } from "../i18n.js";
import type { Session } from "../types.js";
import { ProblemMessage } from "./common.js";

/** Sign-in: the token is sent once and exchanged for an HttpOnly session cookie; it is never stored here. */
export const SignIn = ({ onSignedIn }: { onSignedIn: (session: Session) => void }) => {
  const { t } = useWords();
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const session = await signIn(token.trim());
      setToken("");
      onSignedIn(session);
    } catch (error) {
      setProblem(
        error instanceof ApiError ? error.problem : { status: 0, code: "internal_error", detail: "" },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card narrow" onSubmit={submit}>
      <h1>{t("signInTitle")}</h1>
      <p>{t("signInHelp")}</p>
      <label for="token">{t("token")}</label>
      <input
        id="token"
        name="token"
        type="password"
        autoComplete="off"
        required
        value={token}
        onInput={(event) => setToken(event.currentTarget.value)}
      />
      <ProblemMessage problem={problem} />
      <button type="submit" disabled={busy || token.trim() === ""}>
        {t("signIn")}
      </button>
    </form>
  );
};
