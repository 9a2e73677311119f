/**
 * Who is signed in, kept on the device so that the application opens without a network: only the
 * principal's role, scope and name and when the session ends; never the token, the cookie (HttpOnly) or
 * the CSRF token (read again from the server before anything is sent).
 */
import type { Session } from "../types.js";

const KEY = "bukubesar.session";

export const keepSession = (session: Session): void => {
  const { csrfToken: _secret, ...kept } = session;
  localStorage.setItem(KEY, JSON.stringify(kept));
};

export const forgetSession = (): void => localStorage.removeItem(KEY);

/** The kept session while it has not expired, or null. */
export const keptSession = (): Session | null => {
  const text = localStorage.getItem(KEY);
  if (text === null) return null;
  const kept = JSON.parse(text) as Omit<Session, "csrfToken">;
  return kept.expiresAt > new Date().toISOString() ? { ...kept, csrfToken: "" } : null;
};
