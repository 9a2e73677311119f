import { appendToLedger, type EventStore } from "@bukubesar/event-store";
import {
  applyInPlace,
  type BusinessWith,
  decide,
  entryIdFor,
  eventIdFor,
  foldLedger,
  laterInstant,
  ledgerStreamId,
  type RecordedLedgerEvent,
  recordedLedgerEventOf,
  type TagAccount,
} from "@bukubesar/ledger-core";
import { CliError } from "./cliError.js";
import { warnOfClockLead } from "./clockLead.js";
import { type CommandContext, storeUrlOf, writeLine } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exitCode.js";
import { readStreamPages, withStore } from "./storeAccess.js";

/** How often the tag is decided again when the service appended to the ledger in between. */
const TAG_CONFLICT_RETRIES_MAX = 5;
const PRINCIPAL_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export interface TagAccountOptions {
  readonly coop: string;
  readonly account: string;
  readonly memberControl?: boolean;
  readonly businessWith?: string;
  readonly systemAccount?: boolean;
  readonly as?: string;
}

/** What the options ask to set, or a usage error naming what is accepted. */
const tagsOf = (options: TagAccountOptions): Omit<TagAccount["data"], "code"> => {
  const businessWith = options.businessWith;
  if (businessWith !== undefined && businessWith !== "member" && businessWith !== "non_member")
    throw new CliError(
      `--business-with must be member or non_member (not ${JSON.stringify(businessWith)})`,
      EXIT_USAGE,
    );
  if (options.memberControl !== true && businessWith === undefined && options.systemAccount !== true)
    throw new CliError("give --member-control, --business-with or --system-account", EXIT_USAGE);
  return {
    ...(options.memberControl === true ? { memberControl: true } : {}),
    ...(businessWith !== undefined ? { businessWith: businessWith as BusinessWith } : {}),
    ...(options.systemAccount === true ? { systemAccount: true } : {}),
  };
};

/**
 * `bukubesar tag-account`: sets control tags on an account of a chart opened before the tags existed
 * (docs/accounting.md, section 1), by the same rule as `POST …/accounts/{code}/tags`, recorded as an
 * `AccountTagged` event of principal cli:<name> with the admin's role (local store access is the admin's).
 * A refusal prints its stable code and records nothing.
 */
export const runTagAccount = async (
  context: CommandContext,
  options: TagAccountOptions,
): Promise<ExitCode> => {
  const principalName = options.as ?? "admin";
  if (!PRINCIPAL_NAME_PATTERN.test(principalName))
    throw new CliError("--as must be 1–64 letters, digits, dots, dashes or underscores", EXIT_USAGE);
  const tags = tagsOf(options);
  const principalId = `cli:${principalName}`;
  return withStore(storeUrlOf(context), { mustExist: false }, async (store) => {
    for (let attempt = 0; attempt <= TAG_CONFLICT_RETRIES_MAX; attempt++) {
      const outcome = await tagOnce(store, options.coop, options.account, tags, principalId, (last, clock) =>
        warnOfClockLead(context.stderr, options.coop, last, clock),
      );
      if (outcome === "conflict") continue;
      if (typeof outcome === "string") {
        writeLine(context.stderr, `bukubesar: tag refused: ${outcome}`);
        return EXIT_VERIFICATION_FAILED;
      }
      writeLine(context.stdout, `Tagged ${options.account} in ${options.coop}: ${JSON.stringify(outcome)}`);
      return EXIT_OK;
    }
    throw new CliError("the ledger keeps changing; try again later", EXIT_VERIFICATION_FAILED);
  });
};

/** Decides and appends the tag on the ledger as it stands; "conflict" when another writer got there first. */
const tagOnce = async (
  store: EventStore,
  coopId: string,
  code: string,
  tags: Omit<TagAccount["data"], "code">,
  principalId: string,
  onRecording: (lastRecordedAt: string, clock: string) => void,
): Promise<"conflict" | string | Readonly<Record<string, unknown>>> => {
  const state = foldLedger([]);
  let last: RecordedLedgerEvent | undefined;
  for await (const page of readStreamPages(store, ledgerStreamId(coopId))) {
    for (const stored of page) {
      const event = recordedLedgerEventOf(stored);
      applyInPlace(state, event);
      last = event;
    }
  }
  if (last === undefined)
    throw new CliError(
      `there is no cooperative ${coopId} in this store; create it first`,
      EXIT_VERIFICATION_FAILED,
    );
  const decision = decide(
    { type: "TagAccount", data: { code, ...tags }, actor: { principalId, role: "admin" } },
    state,
  );
  if (decision._tag === "Left") {
    const refusal = decision.left;
    return `${refusal.code}${refusal.path === undefined ? "" : ` (${refusal.path})`}: ${refusal.message}`;
  }
  const clock = new Date().toISOString();
  onRecording(last.metadata.recordedAt, clock);
  // The ids derive from the head the tag was decided on, so a retry after a crash cannot record it twice.
  const base = entryIdFor(coopId, `accounts/${code}/tags`, `cli:${last.revision}`);
  const outcome = await appendToLedger(
    store,
    coopId,
    { revision: last.revision, headHash: last.metadata.hash },
    decision.right,
    (index) => ({
      eventId: eventIdFor(base, index),
      principalId,
      role: "admin",
      // Never before the stream's last event, whatever this machine's clock says (as the API records).
      recordedAt: laterInstant(last.metadata.recordedAt, clock),
      idempotencyKey: null,
      requestHash: null,
      correlationId: null,
    }),
  );
  // Already stored: a run that crashed after appending on this very head; deciding again says so.
  if (outcome.kind !== "appended") return "conflict";
  return { code, ...tags };
};
