import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api/client.js";
import { readSession, signOut } from "./data.js";
import {
  type Language,
  LanguageContext,
  storedLanguage,
  storeLanguage,
  translate,
  type WordKey,
} from "./i18n.js";
import { forgetShownData } from "./offline/dataCache.js";
import { forgetSession, keepSession, keptSession } from "./offline/keptSession.js";
import { SettingsPage } from "./pages/adminCooperatives.js";
import { AdminTokens } from "./pages/adminTokens.js";
import { ApproverQueue } from "./pages/approverQueue.js";
import { AuditorPage } from "./pages/auditor.js";
import { EntriesPage } from "./pages/entries.js";
import { EntryForm } from "./pages/entryForm.js";
import { MembersPage } from "./pages/members.js";
import { ReportsPage } from "./pages/reports.js";
import { SignIn } from "./pages/signIn.js";
import { StaleDataNote } from "./pages/staleDataNote.js";
import { SupervisorAlerts } from "./pages/supervisorAlerts.js";
import { SupervisorCooperatives } from "./pages/supervisorCooperatives.js";
import { TreasurerHome } from "./pages/treasurerHome.js";
import { useRoute } from "./router.js";
import type { Role, Session } from "./types.js";

interface NavItem {
  readonly route: string;
  readonly word: WordKey;
}

/** The pages of each role, the first being its home. */
const NAVIGATION: Readonly<Record<Role, readonly NavItem[]>> = {
  treasurer: [
    { route: "/", word: "home" },
    { route: "/entry/new", word: "newEntry" },
    { route: "/entries", word: "entries" },
    { route: "/reports", word: "reports" },
    { route: "/members", word: "members" },
  ],
  approver: [
    { route: "/", word: "approvals" },
    { route: "/entries", word: "entries" },
    { route: "/reports", word: "reports" },
  ],
  supervisor: [
    { route: "/", word: "alerts" },
    { route: "/cooperatives", word: "cooperatives" },
  ],
  auditor: [{ route: "/", word: "audit" }],
  admin: [
    { route: "/", word: "cooperatives" },
    { route: "/tokens", word: "tokens" },
    { route: "/alerts", word: "alerts" },
    { route: "/audit", word: "audit" },
  ],
};

/** The first page a role sees: its own work (entries, approvals, alerts, audit) or the cooperatives. */
const homePageFor = (session: Session, coopId: string) => {
  if (session.role === "treasurer") return <TreasurerHome coopId={coopId} />;
  if (session.role === "approver") return <ApproverQueue coopId={coopId} session={session} />;
  if (session.role === "supervisor") return <SupervisorAlerts session={session} />;
  if (session.role === "auditor") return <AuditorPage session={session} />;
  return <SupervisorCooperatives session={session} />;
};

const pageFor = (session: Session, route: string) => {
  const [path, ...rest] = route.split("/").filter((part) => part !== "");
  const coopId =
    session.role === "treasurer" || session.role === "approver" ? session.scope : (rest[0] ?? "");
  switch (`/${path ?? ""}`) {
    case "/":
      return homePageFor(session, coopId);
    case "/entry":
      return <EntryForm key={route} coopId={coopId} />;
    case "/entries":
      return <EntriesPage coopId={coopId} canChange={session.role === "treasurer"} />;
    case "/reports":
      return <ReportsPage coopId={coopId} />;
    case "/members":
      return <MembersPage coopId={coopId} canRegister={session.role === "treasurer"} />;
    case "/alerts":
      return <SupervisorAlerts session={session} />;
    case "/cooperatives":
      return <SupervisorCooperatives session={session} />;
    case "/audit":
      return <AuditorPage session={session} />;
    case "/tokens":
      return session.role === "admin" ? <AdminTokens selfId={session.principalId} /> : null;
    case "/settings":
      return session.role === "admin" ? <SettingsPage key={coopId} coopId={coopId} /> : null;
    default:
      return null;
  }
};

export const App = () => {
  const [language, setLanguage] = useState<Language>(storedLanguage);
  const [session, setSession] = useState<Session | null | "unknown">("unknown");
  const route = useRoute();
  const t = (key: WordKey) => translate(language, key);

  useEffect(() => {
    readSession().then(
      (current) => {
        keepSession(current);
        setSession(current);
      },
      (error: unknown) => {
        // Without a network the page opens as the one who signed in here last (offline/keptSession.ts).
        if (error instanceof ApiError && error.problem.code === "offline") setSession(keptSession() ?? null);
        else {
          forgetSession();
          setSession(null);
        }
      },
    );
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  // Each page says for itself whether it shows kept data.
  useEffect(() => forgetShownData(), [route]);

  const chooseLanguage = (next: Language) => {
    storeLanguage(next);
    setLanguage(next);
  };
  const leave = async () => {
    forgetSession();
    await signOut().catch(() => undefined);
    setSession(null);
    window.location.hash = "/";
  };

  return (
    <LanguageContext.Provider value={language}>
      <header class="top">
        <a class="brand" href="#/">
          {t("appName")}
        </a>
        {session !== null && session !== "unknown" && (
          <nav aria-label="menu">
            {NAVIGATION[session.role].map((item) => (
              <a
                key={item.route}
                href={`#${item.route}`}
                aria-current={
                  route === item.route || (route.startsWith(`${item.route}/`) && item.route !== "/")
                    ? "page"
                    : undefined
                }
              >
                {t(item.word)}
              </a>
            ))}
          </nav>
        )}
        <div class="top-tools">
          <label>
            <span class="visually-hidden">{t("language")}</span>
            <select
              value={language}
              onChange={(event) => chooseLanguage(event.currentTarget.value as Language)}
            >
              <option value="id">Indonesia</option>
              <option value="en">English</option>
            </select>
          </label>
          {session !== null && session !== "unknown" && (
            <button type="button" class="link" onClick={leave}>
              {t("signOut")} ({session.name})
            </button>
          )}
        </div>
      </header>
      <main>
        <StaleDataNote />
        {session === "unknown" ? (
          <p>{t("loading")}</p>
        ) : session === null ? (
          <SignIn
            onSignedIn={(signedIn) => {
              keepSession(signedIn);
              setSession(signedIn);
            }}
          />
        ) : (
          pageFor(session, route)
        )}
      </main>
    </LanguageContext.Provider>
  );
};
