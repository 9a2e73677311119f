/**
 * Principals and their bearer tokens. A token is 32 random bytes (base64url, prefixed `bb_`), shown once
 * and stored only as its SHA-256 hash, as events in the stream `principals` of the same store
 * (TokenIssued, TokenRevoked), so principals survive restarts and move with the data. An in-memory
 * index is rebuilt at start and kept current by a subscription, so a revocation made by another process
 * (`bukubesar admin-token --reset`) takes effect here too.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { type EventStore, isStoreFailure, type Subscription, storedChainHash } from "@bukubesar/event-store";
import { chainEvents, GENESIS_PREV_HASH, isCoopId, isRegionPrefix, type Role } from "@bukubesar/ledger-core";

/**
 * A request about principals that names a field wrongly (a scope the role cannot have, an expiry in the
 * past). The registry knows nothing of HTTP: the API's token route answers it as `validation_failed`.
 */
export class PrincipalRequestRefused extends Error {
  constructor(
    readonly detail: string,
    readonly field: { readonly path: string; readonly message: string },
  ) {
    super(detail);
    this.name = "PrincipalRequestRefused";
  }
}

export const PRINCIPALS_STREAM = "principals";

/** The chain hash in a stored event's metadata; 64 zeros for events recorded before the stream was chained. */
const chainHashOf = (metadata: unknown): string => storedChainHash(metadata) ?? GENESIS_PREV_HASH;

/** The name of the admin principal made from BUKUBESAR_ADMIN_TOKEN. */
const CONFIGURED_ADMIN_NAME = "admin (BUKUBESAR_ADMIN_TOKEN)";

/** Random bytes per token: 256 bits, beyond guessing. */
const TOKEN_BYTES = 32;
const TOKEN_PREFIX = "bb_";
/** Retries of an append to the principals stream when another writer moved it first. */
const PRINCIPAL_APPEND_RETRIES_MAX = 5;

export interface Principal {
  readonly principalId: string;
  readonly role: Role;
  /** `*`, a cooperative id (treasurer, approver) or a region prefix (supervisor, auditor). */
  readonly scope: string;
  readonly name: string;
}

interface TokenIssuedData extends Principal {
  readonly tokenHash: string;
  /** When the token stops working (an instant); absent for a token without expiry. */
  readonly expiresAt?: string;
}

/** A browser session: the hash of its cookie's secret, whose principal it is and until when it lasts. */
interface SessionStartedData {
  readonly sessionHash: string;
  readonly principalId: string;
  readonly expiresAt: string;
}

/** What a browser receives at sign-in: the cookie's secret (never stored) and when the session ends. */
export interface StartedSession {
  readonly secret: string;
  readonly expiresAt: string;
}

export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export const generateToken = (): string => `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString("base64url")}`;

/** Whether `scope` is valid for `role`, exactly per api.md's table. */
export const isValidScope = (role: Role, scope: string): boolean => {
  switch (role) {
    case "admin":
    case "metrics":
      return scope === "*";
    case "treasurer":
    case "approver":
      return isCoopId(scope);
    case "supervisor":
    case "auditor":
      return scope === "*" || isRegionPrefix(scope);
  }
};

export class PrincipalRegistry {
  private readonly byTokenHash = new Map<string, Principal>();
  private readonly byId = new Map<string, TokenIssuedData>();
  private readonly sessions = new Map<string, SessionStartedData>();
  private revision = -1;
  /** The hash of the stream's last event, which the next one is chained to (the stream is chained like a ledger). */
  private headHash = GENESIS_PREV_HASH;
  private subscription: Subscription | null = null;
  /** A read of the stream's new events that is queued and not started yet: later callers share it. */
  private queuedRefresh: Promise<void> | null = null;
  /** The last read of the stream's new events (settled or not): the next one starts after it. */
  private lastRefresh: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: EventStore,
    private readonly now: () => string,
  ) {}

  /** Loads every principal from the store and follows later changes. */
  static async open(
    store: EventStore,
    now: () => string = () => new Date().toISOString(),
  ): Promise<PrincipalRegistry> {
    const registry = new PrincipalRegistry(store, now);
    await registry.catchUp();
    return registry;
  }

  /** Follows the principals stream live, so revocations by other processes apply at once. */
  follow(): void {
    if (this.subscription !== null) return;
    this.subscription = this.store.subscribeToAll({ streamPrefix: PRINCIPALS_STREAM }, async (event) => {
      if (event.streamId !== PRINCIPALS_STREAM || event.revision <= this.revision) return;
      this.apply(event.type, event.data);
      this.revision = event.revision;
      this.headHash = chainHashOf(event.metadata);
    });
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
  }

  private async catchUp(): Promise<void> {
    const events = await this.store.readStream(PRINCIPALS_STREAM, {
      direction: "forwards",
      fromRevision: this.revision + 1,
    });
    for (const event of events) {
      // The live subscription may have applied it while the read was under way.
      if (event.revision <= this.revision) continue;
      this.apply(event.type, event.data);
      this.revision = event.revision;
      this.headHash = chainHashOf(event.metadata);
    }
  }

  /**
   * Reads what other processes appended to the stream since this one last looked, starting after the call:
   * a session started or ended through another API replica counts here at once, not only when the live
   * subscription delivers it. Calls made while a read is queued share it (one query for many requests).
   */
  private refresh(): Promise<void> {
    if (this.queuedRefresh !== null) return this.queuedRefresh;
    const next = this.lastRefresh.then(() => {
      this.queuedRefresh = null;
      return this.catchUp();
    });
    this.queuedRefresh = next;
    this.lastRefresh = next.catch(() => undefined);
    return next;
  }

  private apply(type: string, data: unknown): void {
    if (type === "TokenIssued") {
      const issued = data as TokenIssuedData;
      this.byId.set(issued.principalId, issued);
      this.byTokenHash.set(issued.tokenHash, {
        principalId: issued.principalId,
        role: issued.role,
        scope: issued.scope,
        name: issued.name,
      });
    } else if (type === "TokenRevoked") {
      const { principalId } = data as { principalId: string };
      const issued = this.byId.get(principalId);
      if (issued !== undefined) this.byTokenHash.delete(issued.tokenHash);
      this.byId.delete(principalId);
      for (const [hash, session] of this.sessions)
        if (session.principalId === principalId) this.sessions.delete(hash);
    } else if (type === "SessionStarted") {
      const started = data as SessionStartedData;
      if (started.expiresAt > this.now()) this.sessions.set(started.sessionHash, started);
    } else if (type === "SessionEnded") {
      this.sessions.delete((data as { sessionHash: string }).sessionHash);
    }
  }

  /**
   * Starts a browser session for a principal, lasting `lifetimeMs`. Sessions are events of the same
   * stream as tokens, so they survive a restart and end everywhere when their principal is revoked.
   */
  async startSession(principal: Principal, lifetimeMs: number): Promise<StartedSession> {
    const secret = generateToken();
    const expiresAt = new Date(Date.parse(this.now()) + lifetimeMs).toISOString();
    const by = { principalId: principal.principalId, role: principal.role };
    this.forgetExpiredSessions();
    await this.append(
      "SessionStarted",
      { sessionHash: hashToken(secret), principalId: principal.principalId, expiresAt },
      by,
    );
    return { secret, expiresAt };
  }

  /**
   * The principal of a live session (known, not ended, not expired, principal not revoked), or null. The
   * stream is read first, so replicas of the API agree on every session (docs/scaling.md).
   */
  async sessionPrincipal(secret: string): Promise<{ principal: Principal; expiresAt: string } | null> {
    await this.refresh();
    const session = this.sessions.get(hashToken(secret));
    if (session === undefined || session.expiresAt <= this.now()) return null;
    const principal = this.get(session.principalId);
    return principal === null ? null : { principal, expiresAt: session.expiresAt };
  }

  /** Ends a session (sign-out); false when it was not live. */
  async endSession(secret: string): Promise<boolean> {
    const sessionHash = hashToken(secret);
    await this.refresh();
    const session = this.sessions.get(sessionHash);
    if (session === undefined) return false;
    await this.append("SessionEnded", { sessionHash }, { principalId: session.principalId, role: "system" });
    return true;
  }

  /** Expired sessions are dropped from memory (their events stay); they would be refused anyway. */
  private forgetExpiredSessions(): void {
    const now = this.now();
    for (const [hash, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(hash);
  }

  /** Whether a token issued with this data has passed its expiry. */
  private expired(issued: TokenIssuedData): boolean {
    return issued.expiresAt !== undefined && Date.parse(issued.expiresAt) <= Date.parse(this.now());
  }

  /** The principal a bearer token belongs to, or null for an unknown, revoked or expired one. */
  authenticate(token: string): Principal | null {
    const tokenHash = hashToken(token);
    const principal = this.byTokenHash.get(tokenHash);
    if (principal === undefined) return null;
    const stored = this.byId.get(principal.principalId);
    if (stored !== undefined && this.expired(stored)) return null;
    // The map lookup already matched; the constant-time compare documents that hashes are compared safely.
    if (stored === undefined || !timingSafeEqual(Buffer.from(stored.tokenHash), Buffer.from(tokenHash)))
      return null;
    return principal;
  }

  /** A live principal: null once revoked or expired. */
  get(principalId: string): Principal | null {
    const issued = this.byId.get(principalId);
    return issued === undefined || this.expired(issued)
      ? null
      : { principalId, role: issued.role, scope: issued.scope, name: issued.name };
  }

  /** Every live principal. */
  all(): Principal[] {
    return [...this.byId.values()].map(({ principalId, role, scope, name }) => ({
      principalId,
      role,
      scope,
      name,
    }));
  }

  /** Every principal whose token still works (not revoked, not expired), with its expiry when it has one. */
  live(): (Principal & { readonly expiresAt?: string })[] {
    return [...this.byId.values()]
      .filter((issued) => !this.expired(issued))
      .map(({ principalId, role, scope, name, expiresAt }) => ({
        principalId,
        role,
        scope,
        name,
        ...(expiresAt === undefined ? {} : { expiresAt }),
      }));
  }

  admins(): Principal[] {
    return [...this.byId.values()].filter((p) => p.role === "admin");
  }

  private async append(
    type: string,
    data: unknown,
    by: { principalId: string; role: Role | "system" },
  ): Promise<void> {
    for (let retry = 0; ; retry++) {
      try {
        const event = {
          eventId: randomUUID(),
          type,
          data,
          metadata: { principalId: by.principalId, role: by.role, recordedAt: this.now() },
        };
        await this.store.append(
          PRINCIPALS_STREAM,
          this.revision < 0 ? "no_stream" : this.revision,
          chainEvents([event], { nextRevision: this.revision + 1, headHash: this.headHash }),
        );
        await this.catchUp();
        return;
      } catch (error) {
        if (
          isStoreFailure(error) &&
          error.error._tag === "WrongExpectedRevision" &&
          retry < PRINCIPAL_APPEND_RETRIES_MAX
        ) {
          await this.catchUp();
          continue;
        }
        throw error;
      }
    }
  }

  /** Issues a new token, optionally expiring at `fields.expiresAt`; the plain token is returned once and never stored. */
  async issue(
    fields: { role: Role; scope: string; name: string; expiresAt?: string },
    by: { principalId: string; role: Role | "system" },
    token: string = generateToken(),
  ): Promise<{ token: string; principal: Principal; expiresAt?: string }> {
    if (!isValidScope(fields.role, fields.scope)) {
      throw new PrincipalRequestRefused(
        `The scope ${JSON.stringify(fields.scope)} is not valid for the role ${fields.role}.`,
        {
          path: "scope",
          message:
            "admin, metrics: *; treasurer/approver: a cooperative id; supervisor/auditor: a region prefix or *",
        },
      );
    }
    if (fields.expiresAt !== undefined && Date.parse(fields.expiresAt) <= Date.parse(this.now())) {
      throw new PrincipalRequestRefused("A token cannot expire before it is issued.", {
        path: "/expiresAt",
        message: "must be an instant in the future",
      });
    }
    const { expiresAt, ...identity } = fields;
    const principal: Principal = { principalId: `p-${randomUUID()}`, ...identity };
    await this.append(
      "TokenIssued",
      { ...principal, tokenHash: hashToken(token), ...(expiresAt === undefined ? {} : { expiresAt }) },
      by,
    );
    return { token, principal, ...(expiresAt === undefined ? {} : { expiresAt }) };
  }

  /** Revokes a principal's token; false when there is no such (live) principal. */
  async revoke(principalId: string, by: { principalId: string; role: Role | "system" }): Promise<boolean> {
    if (!this.byId.has(principalId)) return false;
    await this.append("TokenRevoked", { principalId }, by);
    return true;
  }

  /**
   * Makes sure an admin exists: with `adminToken`, one holding exactly that token; without, any admin.
   * Returns the token it generated, or null when it generated none.
   */
  async ensureAdmin(adminToken: string | undefined): Promise<string | null> {
    const system = { principalId: "system", role: "system" as const };
    if (adminToken !== undefined && adminToken !== "") {
      const existing = this.authenticate(adminToken);
      const current =
        existing?.role === "admin"
          ? existing
          : (await this.issue({ role: "admin", scope: "*", name: CONFIGURED_ADMIN_NAME }, system, adminToken))
              .principal;
      // A changed BUKUBESAR_ADMIN_TOKEN replaces the old one: the admins made from earlier values stop.
      for (const admin of this.admins())
        if (admin.name === CONFIGURED_ADMIN_NAME && admin.principalId !== current.principalId)
          await this.revoke(admin.principalId, system);
      return null;
    }
    const token = generateToken();
    return (await this.createFirstAdmin(token)) ? token : null;
  }

  /**
   * Creates the first admin principal, holding `token`, unless an admin exists already; true when it
   * created one. The caller chose the token, so it can keep it safe before the principal exists.
   */
  async createFirstAdmin(token: string): Promise<boolean> {
    if (this.admins().length > 0) return false;
    await this.issue(
      { role: "admin", scope: "*", name: "admin" },
      { principalId: "system", role: "system" },
      token,
    );
    return true;
  }
}

/**
 * `bukubesar admin-token --reset`: revokes every admin token and issues a new one, which is returned
 * for the caller to print.
 */
export const resetAdminToken = async (store: EventStore): Promise<string> => {
  const registry = await PrincipalRegistry.open(store);
  const system = { principalId: "system", role: "system" as const };
  // The new admin is recorded before the old ones are revoked: a service following the principals
  // stream in order never sees a moment without an admin, and once an old token is refused the new one
  // is already accepted.
  const previous = registry.admins();
  const { token } = await registry.issue({ role: "admin", scope: "*", name: "admin (reset)" }, system);
  for (const admin of previous) await registry.revoke(admin.principalId, system);
  return token;
};
