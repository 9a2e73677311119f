/** The API calls the pages make, each through the generated client, answering the shapes of types.ts. */
import { api, unwrap, useCsrfToken } from "./api/client.js";
import { clearDataCache } from "./offline/dataCache.js";
import type {
  Account,
  Alert,
  Cooperative,
  Entry,
  Member,
  Principal,
  RegionSummary,
  Role,
  Session,
  Settings,
  TrialBalance,
} from "./types.js";

const coop = (coopId: string) => ({ params: { path: { coopId } } });

export const readSession = async (): Promise<Session> => {
  const session = await unwrap<Session>(api.GET("/v1/session"));
  useCsrfToken(session.csrfToken);
  return session;
};

export const signIn = async (token: string): Promise<Session> => {
  const session = await unwrap<Session>(api.POST("/v1/sessions", { body: { token } }));
  useCsrfToken(session.csrfToken);
  await clearDataCache();
  return session;
};

export const signOut = async (): Promise<void> => {
  await clearDataCache();
  await unwrap<void>(api.DELETE("/v1/session", { parseAs: "stream" }));
  useCsrfToken(null);
};

export const cooperative = (coopId: string) =>
  unwrap<Cooperative>(api.GET("/v1/cooperatives/{coopId}", coop(coopId)));

export const cooperatives = async (region?: string): Promise<Cooperative[]> =>
  (
    await unwrap<{ cooperatives: Cooperative[] }>(
      api.GET("/v1/cooperatives", { params: { query: region === undefined ? {} : { region } } }),
    )
  ).cooperatives;

export const members = async (coopId: string): Promise<Member[]> =>
  (await unwrap<{ members: Member[] }>(api.GET("/v1/cooperatives/{coopId}/members", coop(coopId)))).members;

export const registerMember = (
  coopId: string,
  body: { memberId: string; name: string; joinedOn: string; role: string },
) =>
  unwrap<Member>(
    api.POST("/v1/cooperatives/{coopId}/members", {
      ...coop(coopId),
      body: body as never,
    }),
  );

/** Every entry of a cooperative in recording order (page by page), optionally from a date on. */
export const entries = async (coopId: string, from?: string): Promise<Entry[]> => {
  const all: Entry[] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string | number> = { limit: 1000 };
    if (from !== undefined) query.from = from;
    if (cursor !== null) query.cursor = cursor;
    const page: { entries: Entry[]; nextCursor: string | null } = await unwrap(
      api.GET("/v1/cooperatives/{coopId}/journal-entries", { params: { path: { coopId }, query } }),
    );
    all.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
};

export interface EntryBody {
  readonly date: string;
  readonly memo: string;
  readonly lines: readonly Record<string, string>[];
  /** `adjusting`: a correction that may touch the system accounts; it always waits for an approver. */
  readonly kind?: "adjusting";
}

/** What a member exit answers: `entry` waits for an approver when its status is pending_approval. */
export interface MemberExit {
  readonly memberId: string;
  readonly exitedOn: string;
  readonly owedOn: string | null;
  readonly entry: Entry | null;
}

/** Control tags set on an account of a chart opened before the tags existed (docs/accounting.md section 1). */
export const tagAccount = (
  coopId: string,
  code: string,
  body: { memberControl?: true; businessWith?: "member" | "non_member"; systemAccount?: true },
) =>
  unwrap<Account>(
    api.POST("/v1/cooperatives/{coopId}/accounts/{code}/tags", {
      params: { path: { coopId, code } },
      body: body as never,
    }),
  );

/** A recorded exit undone: the exit entry is reversed and the member reinstated (docs/accounting.md section 2). */
export const reverseMemberExit = (
  coopId: string,
  memberId: string,
  body: { date: string; reason: string },
  idempotencyKey: string,
) =>
  unwrap<{ memberId: string; reinstatedOn: string; entry: Entry | null }>(
    api.POST("/v1/cooperatives/{coopId}/members/{memberId}/exit/reverse", {
      params: { path: { coopId, memberId }, header: { "idempotency-key": idempotencyKey } },
      body: body as never,
    }),
  );

/** A member leaves: one member_exit entry settles their savings (docs/accounting.md section 2). */
export const exitMember = (
  coopId: string,
  memberId: string,
  body: { date: string; reason: string; settlementAccount: string },
  idempotencyKey: string,
) =>
  unwrap<MemberExit>(
    api.POST("/v1/cooperatives/{coopId}/members/{memberId}/exit", {
      params: { path: { coopId, memberId }, header: { "idempotency-key": idempotencyKey } },
      body: body as never,
    }),
  );

export const postEntry = (coopId: string, body: EntryBody, idempotencyKey: string) =>
  unwrap<Entry>(
    api.POST("/v1/cooperatives/{coopId}/journal-entries", {
      params: { path: { coopId }, header: { "idempotency-key": idempotencyKey } },
      body: body as never,
    }),
  );

const entryPath = (coopId: string, entryId: string, idempotencyKey: string) => ({
  params: { path: { coopId, entryId }, header: { "idempotency-key": idempotencyKey } },
});

export const approveEntry = (coopId: string, entryId: string) =>
  unwrap<Entry>(
    api.POST("/v1/cooperatives/{coopId}/journal-entries/{entryId}/approve", {
      ...entryPath(coopId, entryId, `approve-${entryId}`),
      body: {} as never,
    }),
  );

export const rejectEntry = (coopId: string, entryId: string, reason: string) =>
  unwrap<Entry>(
    api.POST("/v1/cooperatives/{coopId}/journal-entries/{entryId}/reject", {
      ...entryPath(coopId, entryId, `reject-${entryId}`),
      body: { reason } as never,
    }),
  );

export const reverseEntry = (coopId: string, entryId: string, date: string, reason: string) =>
  unwrap<Entry>(
    api.POST("/v1/cooperatives/{coopId}/journal-entries/{entryId}/reverse", {
      ...entryPath(coopId, entryId, `reverse-${entryId}`),
      body: { date, reason } as never,
    }),
  );

export const closePeriod = (coopId: string, period: string) =>
  unwrap<{ period: string; status: string }>(
    api.POST("/v1/cooperatives/{coopId}/periods/{period}/close", {
      params: { path: { coopId, period }, header: { "idempotency-key": `close-${period}` } },
      body: {} as never,
    }),
  );

export const trialBalance = (coopId: string, asOf: string) =>
  unwrap<TrialBalance>(
    api.GET("/v1/cooperatives/{coopId}/trial-balance", { params: { path: { coopId }, query: { asOf } } }),
  );

/** Every alert in the caller's scope, page by page, in recording order. */
export const alerts = async (
  query: { region?: string; severity?: "info" | "warning" | "high" } = {},
): Promise<Alert[]> => {
  const all: Alert[] = [];
  let cursor: string | null = null;
  do {
    const page: { alerts: Alert[]; nextCursor: string | null } = await unwrap(
      api.GET("/v1/alerts", {
        params: { query: { limit: 1000, ...query, ...(cursor === null ? {} : { cursor }) } },
      }),
    );
    all.push(...page.alerts);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
};

export const acknowledgeAlert = (alertId: string, note: string) =>
  unwrap<Alert>(
    api.POST("/v1/alerts/{alertId}/acknowledge", { params: { path: { alertId } }, body: { note } as never }),
  );

export const verify = (coopId: string) =>
  unwrap<{ ok: boolean; events?: number; headHash?: string; firstBadRevision?: number; reason?: string }>(
    api.GET("/v1/cooperatives/{coopId}/verify", coop(coopId)),
  );

export interface StoredEvent {
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: string;
}

export const events = (coopId: string, after: number | undefined, limit: number) =>
  unwrap<{ events: StoredEvent[]; nextAfter: number | null }>(
    api.GET("/v1/cooperatives/{coopId}/events", {
      params: { path: { coopId }, query: after === undefined ? { limit } : { after, limit } },
    }),
  );

/** The approvers' queue: only the entries awaiting approval, filtered by the API (status=pending_approval). */
export const pendingEntries = async (coopId: string): Promise<Entry[]> => {
  const all: Entry[] = [];
  let cursor: string | null = null;
  do {
    const query = {
      limit: 1000,
      status: "pending_approval" as const,
      ...(cursor === null ? {} : { cursor }),
    };
    const page: { entries: Entry[]; nextCursor: string | null } = await unwrap(
      api.GET("/v1/cooperatives/{coopId}/journal-entries", { params: { path: { coopId }, query } }),
    );
    all.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
};

export const regionSummary = (prefix: string) =>
  unwrap<RegionSummary>(api.GET("/v1/regions/{prefix}/summary", { params: { path: { prefix } } }));

export const principals = async (): Promise<Principal[]> =>
  (await unwrap<{ principals: Principal[] }>(api.GET("/v1/tokens"))).principals;

/** Issues a token; the answer holds the token itself, shown once and never kept. */
export const issueToken = (body: { role: Role; scope: string; name: string; expiresAt?: string }) =>
  unwrap<Principal & { token: string }>(api.POST("/v1/tokens", { body: body as never }));

export const revokeToken = (principalId: string) =>
  unwrap<void>(
    api.DELETE("/v1/tokens/{principalId}", { params: { path: { principalId } }, parseAs: "stream" }),
  );

export const registerCooperative = (body: {
  id: string;
  name: string;
  regionCode: string;
  chart: "kkmp" | "empty";
}) => unwrap<Cooperative>(api.POST("/v1/cooperatives", { body: body as never }));

export const changeSettings = (coopId: string, body: Partial<Settings>) =>
  unwrap<Settings>(api.PATCH("/v1/cooperatives/{coopId}/settings", { ...coop(coopId), body: body as never }));
