/**
 * `decide(command, state) → Either<Rejection, events>`: checks one command against the state and says
 * what happened. Pure: no clock, no ids, no I/O; everything needed comes in on the command.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { amountToSen, senToAmount } from "./amounts.js";
import { normalBalanceOf } from "./chart.js";
import type {
  ChangeSettings,
  CloseAccount,
  LedgerCommand,
  OpenAccount,
  OpenLedger,
  RegisterMember,
  SettingsPatch,
} from "./commands.js";
import { isLocalDate } from "./dates.js";
import { decideAccountTags } from "./decideAccountTags.js";
import { decideFiscalYear, decidePeriod } from "./decideFiscalYear.js";
import { decideJournalEntry } from "./decideJournalEntry.js";
import { decideMemberExit, decideReverseMemberExit } from "./decideMemberExit.js";
import type { AccountOpened, LedgerEvent, Settings } from "./events.js";
import { NAME_LENGTH_MAX } from "./limits.js";
import type { Rejection } from "./rejection.js";
import { rejection } from "./rejection.js";
import { defaultSettings } from "./settings.js";
import { mergeShuRules, shuRulesOf } from "./shuRules.js";
import type { LedgerState } from "./state.js";
import {
  ACCOUNT_TYPES,
  CLOCK_TIME_PATTERN,
  COOP_ID_PATTERN,
  isAccountCode,
  isCoopId,
  isMemberId,
  isRegionCode,
  MEMBER_ROLES,
  OVERHEAD_BASES,
  TIME_ZONES,
} from "./vocabulary.js";

export type Decision = Either<Rejection, readonly LedgerEvent[]>;

const TIME_ZONE_SET: ReadonlySet<string> = new Set(TIME_ZONES);
const ACCOUNT_TYPE_SET: ReadonlySet<string> = new Set(ACCOUNT_TYPES);
const MEMBER_ROLE_SET: ReadonlySet<string> = new Set(MEMBER_ROLES);
const OVERHEAD_BASIS_SET: ReadonlySet<string> = new Set(OVERHEAD_BASES);

export const decide = (command: LedgerCommand, state: LedgerState): Decision => {
  if (command.type === "OpenLedger") return openLedger(command, state);
  if (!state.opened) return left(rejection("LedgerMustBeOpened", "the ledger has not been opened"));
  switch (command.type) {
    case "ChangeSettings":
      return changeSettings(command, state);
    case "OpenAccount":
      return openAccount(command, state);
    case "TagAccount":
      return decideAccountTags(command, state);
    case "CloseAccount":
      return closeAccount(command, state);
    case "RegisterMember":
      return registerMember(command, state);
    case "ExitMember":
      return decideMemberExit(command, state);
    case "ReverseMemberExit":
      return decideReverseMemberExit(command, state);
    case "PostJournalEntry":
    case "ApproveJournalEntry":
    case "RejectJournalEntry":
    case "ReverseJournalEntry":
      return decideJournalEntry(command, state);
    case "ClosePeriod":
    case "ReopenPeriod":
      return decidePeriod(command, state);
    case "CloseFiscalYear":
    case "ReopenFiscalYear":
    case "RecordRatDecision":
    case "ApproveYearEndStep":
    case "RejectYearEndStep":
      return decideFiscalYear(command, state);
    default:
      return absurd(command);
  }
};

const openLedger = ({ data }: OpenLedger, state: LedgerState): Decision => {
  if (state.opened)
    return left(rejection("LedgerMustNotExist", `cooperative ${state.coopId} already exists`));
  if (!isCoopId(data.coopId)) {
    return left(
      rejection("FieldMustBeValid", `the cooperative id must match ${COOP_ID_PATTERN.source}`, "coopId"),
    );
  }
  const nameProblem = checkName(data.name, "name");
  if (nameProblem !== undefined) return left(nameProblem);
  if (!isRegionCode(data.regionCode)) {
    return left(
      rejection(
        "RegionCodeMustBeValid",
        "the region code must be a Kemendagri village code like 35.74.03.1002",
        "regionCode",
      ),
    );
  }
  const settings = mergeSettings(defaultSettings(data.regionCode), data.settings ?? {});
  if ("_tag" in settings) return left(settings);
  const events: LedgerEvent[] = [
    {
      type: "LedgerOpened",
      data: { coopId: data.coopId, name: data.name, regionCode: data.regionCode, settings },
    },
  ];
  // The chart is opened by the same rules as one account at a time, each against the state so far.
  const known = new Map<string, boolean>();
  for (const [index, account] of (data.accounts ?? []).entries()) {
    const opened = accountOpened(account, (code) => known.has(code), `accounts[${index}]`);
    if ("_tag" in opened) return left(opened);
    known.set(account.code, true);
    events.push(opened);
  }
  return right(events);
};

const changeSettings = ({ data }: ChangeSettings, state: LedgerState): Decision => {
  const current = state.settings ?? defaultSettings(state.regionCode ?? "");
  if (data.settings.shuRules !== undefined && state.pendingRatDecisions.size > 0) {
    // The approver posts the division the treasurer's proposal was checked against; rules changed in
    // between would post another one.
    return left(
      rejection(
        "YearEndStepMustNotBePending",
        "the AD/ART rules cannot change while a RAT decision awaits its approver",
        "shuRules",
      ),
    );
  }
  const settings = mergeSettings(current, data.settings);
  if ("_tag" in settings) return left(settings);
  return right([{ type: "SettingsChanged", data: { settings } }]);
};

const openAccount = ({ data }: OpenAccount, state: LedgerState): Decision => {
  if (state.accounts.has(data.code))
    return left(rejection("AccountMustNotExist", `account ${data.code} exists`, "code"));
  const opened = accountOpened(data, (code) => state.accounts.has(code), "");
  return "_tag" in opened ? left(opened) : right([opened]);
};

const closeAccount = ({ data }: CloseAccount, state: LedgerState): Decision => {
  const account = state.accounts.get(data.code);
  if (account === undefined)
    return left(rejection("AccountMustExist", `there is no account ${data.code}`, "code"));
  if (!account.open)
    return left(rejection("AccountMustBeOpen", `account ${data.code} is already closed`, "code"));
  // A year not yet closed may still hold income or expense that its closing entry must move.
  const holdsOpenYear = [...state.yearBalances].some(
    ([year, balances]) => !state.closedFiscalYears.has(year) && (balances.get(data.code) ?? 0n) !== 0n,
  );
  if (account.balance !== 0n || holdsOpenYear) {
    return left(
      rejection(
        "AccountMustBeEmpty",
        `account ${data.code} holds ${senToAmount(account.balance)}; it must be zero`,
      ),
    );
  }
  return right([{ type: "AccountClosed", data: { code: data.code } }]);
};

const registerMember = ({ data }: RegisterMember, state: LedgerState): Decision => {
  if (state.members.has(data.memberId)) {
    return left(rejection("MemberMustNotExist", `member ${data.memberId} is registered`, "memberId"));
  }
  if (!isMemberId(data.memberId)) {
    return left(
      rejection("FieldMustBeValid", "the member id is 1 to 64 letters, digits, '.', '_' or '-'", "memberId"),
    );
  }
  const problem =
    checkName(data.name, "name") ??
    (isLocalDate(data.joinedOn)
      ? undefined
      : rejection("DateMustBeValid", "joinedOn must be YYYY-MM-DD", "joinedOn")) ??
    (MEMBER_ROLE_SET.has(data.role)
      ? undefined
      : rejection("FieldMustBeValid", "unknown member role", "role"));
  if (problem !== undefined) return left(problem);
  return right([
    {
      type: "MemberRegistered",
      data: { memberId: data.memberId, name: data.name, joinedOn: data.joinedOn, role: data.role },
    },
  ]);
};

type AccountRequest = OpenAccount["data"];

const accountOpened = (
  data: AccountRequest,
  exists: (code: string) => boolean,
  pathPrefix: string,
): AccountOpened | Rejection => {
  const at = (field: string) => (pathPrefix === "" ? field : `${pathPrefix}.${field}`);
  const problem = accountRequestProblem(data, exists, at);
  if (problem !== undefined) return problem;
  return {
    type: "AccountOpened",
    data: {
      code: data.code,
      name: data.name,
      accountType: data.accountType,
      normalBalance: data.normalBalance ?? normalBalanceOf(data.accountType),
      parent: data.parent ?? null,
      postable: data.postable ?? true,
      noOverdraft: data.noOverdraft ?? false,
      ...accountControlTags(data),
    },
  };
};

/** The first reason an account request cannot be opened, checked in the order a reader fixes them. */
const accountRequestProblem = (
  data: AccountRequest,
  exists: (code: string) => boolean,
  at: (field: string) => string,
): Rejection | undefined => {
  if (exists(data.code)) return rejection("AccountMustNotExist", `account ${data.code} exists`, at("code"));
  if (!isAccountCode(data.code)) {
    return rejection(
      "FieldMustBeValid",
      "an account code is 1 to 32 letters, digits, dots or dashes",
      at("code"),
    );
  }
  const nameProblem = checkName(data.name, at("name"));
  if (nameProblem !== undefined) return nameProblem;
  if (!ACCOUNT_TYPE_SET.has(data.accountType))
    return rejection("FieldMustBeValid", "unknown account type", at("accountType"));
  const businessWith = data.businessWith ?? null;
  if (businessWith !== null && businessWith !== "member" && businessWith !== "non_member") {
    return rejection("FieldMustBeValid", "businessWith is member, non_member or null", at("businessWith"));
  }
  const parent = data.parent ?? null;
  if (parent !== null && !exists(parent)) {
    return rejection("ParentAccountMustExist", `the parent account ${parent} does not exist`, at("parent"));
  }
  return undefined;
};

/** The control tags are recorded only when set, so an untagged account's event keeps its old shape. */
const accountControlTags = (
  data: AccountRequest,
): Pick<AccountOpened["data"], "memberControl" | "businessWith" | "systemAccount"> => ({
  ...(data.memberControl === true ? { memberControl: true } : {}),
  ...(data.businessWith === "member" || data.businessWith === "non_member"
    ? { businessWith: data.businessWith }
    : {}),
  ...(data.systemAccount === true ? { systemAccount: true } : {}),
});

const checkName = (name: unknown, path: string): Rejection | undefined =>
  typeof name === "string" && name.trim().length > 0 && name.length <= NAME_LENGTH_MAX
    ? undefined
    : rejection("FieldMustBeValid", `a name is 1 to ${NAME_LENGTH_MAX} characters`, path);

/** Applies a settings patch, normalising amounts to two fraction digits. */
export const mergeSettings = (current: Settings, patch: SettingsPatch): Settings | Rejection => {
  const merged = { ...current, ...patch };
  const approvalThreshold = mergedApprovalThreshold(merged.approvalThreshold);
  if (approvalThreshold !== null && typeof approvalThreshold === "object") return approvalThreshold;
  const largeCash = amountToSen(merged.largeCashThreshold);
  if (largeCash === null) {
    return rejection(
      "FieldMustBeValid",
      "the large-cash threshold must be an amount",
      "settings.largeCashThreshold",
    );
  }
  const hours = merged.businessHours;
  if (!areBusinessHours(hours)) {
    return rejection(
      "FieldMustBeValid",
      "business hours are HH:MM with start before end",
      "settings.businessHours",
    );
  }
  if (!TIME_ZONE_SET.has(merged.timeZone)) {
    return rejection(
      "FieldMustBeValid",
      "the time zone is Asia/Jakarta, Asia/Makassar or Asia/Jayapura",
      "settings.timeZone",
    );
  }
  const legalEntityNumber = merged.legalEntityNumber ?? null;
  if (!isLegalEntityNumberOrNull(legalEntityNumber)) {
    return rejection(
      "FieldMustBeValid",
      `the legal entity number is 1 to ${NAME_LENGTH_MAX} characters, or null`,
      "settings.legalEntityNumber",
    );
  }
  const shuRules =
    patch.shuRules === undefined ? current.shuRules : mergeShuRules(shuRulesOf(current), patch.shuRules);
  if (shuRules !== undefined && "_tag" in shuRules) return shuRules;
  const overheadBasis = merged.overheadBasis;
  if (overheadBasis !== undefined && !OVERHEAD_BASIS_SET.has(overheadBasis)) {
    return rejection(
      "FieldMustBeValid",
      "the overhead basis is revenue, expense or equal",
      "settings.overheadBasis",
    );
  }
  return {
    approvalThreshold,
    largeCashThreshold: senToAmount(largeCash),
    businessHours: { start: hours.start, end: hours.end },
    timeZone: merged.timeZone,
    // Left out when not set, so settings recorded without them keep their shape.
    ...(legalEntityNumber === null ? {} : { legalEntityNumber }),
    ...(shuRules === undefined ? {} : { shuRules }),
    ...(overheadBasis === undefined ? {} : { overheadBasis }),
  };
};

/** The approval threshold with two fraction digits, null when there is none, or why it is refused. */
const mergedApprovalThreshold = (threshold: string | null): string | null | Rejection => {
  if (threshold === null) return null;
  const sen = amountToSen(threshold);
  if (sen === null) {
    return rejection(
      "FieldMustBeValid",
      "the approval threshold must be an amount or null",
      "settings.approvalThreshold",
    );
  }
  return senToAmount(sen);
};

const areBusinessHours = (hours: unknown): hours is Settings["businessHours"] =>
  typeof hours === "object" &&
  hours !== null &&
  CLOCK_TIME_PATTERN.test((hours as Settings["businessHours"]).start) &&
  CLOCK_TIME_PATTERN.test((hours as Settings["businessHours"]).end) &&
  (hours as Settings["businessHours"]).start < (hours as Settings["businessHours"]).end;

const isLegalEntityNumberOrNull = (value: unknown): boolean =>
  value === null || (typeof value === "string" && value.trim().length > 0 && value.length <= NAME_LENGTH_MAX);

const absurd = (value: never): never => {
  throw new Error(`unknown ledger command ${JSON.stringify(value)}`);
};
