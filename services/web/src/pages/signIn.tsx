import { useState } from "preact/hooks";
import { type Problem, problemOf } from "../api/client.js";
import { signIn } from "../data.js";
import { useWords } from "../i18n.js";
import type { Session } from "../types.js";
import { ProblemMessage } from "./common.js";
import { QrScanner } from "./qrScanner.js";

/**
 * Sign-in: the token, pasted or scanned from the QR code of the admin's token page, is sent once and
 * exchanged for an HttpOnly session cookie; it is never stored here.
 */
export const SignIn = ({ onSignedIn }: { onSignedIn: (session: Session) => void }) => {
  const { t } = useWords();
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);
  const enter = async (typed: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const session = await signIn(typed.trim());
      setToken("");
      onSignedIn(session);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void enter(token);
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
      <div class="row">
        <button type="submit" disabled={busy || token.trim() === ""}>
          {t("signIn")}
        </button>
        {!scanning && (
          <button type="button" class="secondary" onClick={() => setScanning(true)}>
            {t("scanQr")}
          </button>
        )}
      </div>
      {scanning && (
        <QrScanner
          onRead={(text) => {
            setScanning(false);
            void enter(text);
          }}
          onClose={() => setScanning(false)}
        />
      )}
    </form>
  );
};
