/**
 * The supervisor's rule-state snapshot as the store's snapshot table keeps it: the state of every
 * cooperative's facts and rules at one global position of the log, so a restart loads it and judges
 * only the events after that position instead of replaying the whole history (the restart's target is in
 * docs/benchmarks.md, "Supervision").
 *
 * One snapshot for the whole state, not one per cooperative: the supervisor is one fold over the one
 * global log with one checkpoint, so one position says exactly which events the state includes, the
 * table replaces it atomically (a reader sees the old one or the new one, never a mixture), and the tail
 * is one read after that position. It is still written incrementally: each cooperative is its own part,
 * and the writer (ruleSnapshotWriter.ts) encodes again only the cooperatives that changed.
 *
 * Parts: the header (JSON), then one part per cooperative (base64 of its structured clone, sorted by
 * cooperative). The header records the format, the position and the id of the event there (a snapshot of
 * another log is refused), the configuration's fingerprint (other thresholds or rules are refused), each
 * cooperative's part hash, and the SHA-256 of all of that: an edited header or part no longer matches.
 */
import { createHash } from "node:crypto";
import type { EventStore, ReadModelSnapshotTable } from "@bukubesar/event-store";
import type { SupervisionState } from "@bukubesar/supervision";
import {
  restoreCooperativeSupervision,
  SUPERVISION_SNAPSHOT_FORMAT,
  supervisionConfigurationOf,
} from "@bukubesar/supervision";

/** The snapshot's name in the store's snapshot table. */
export const RULE_SNAPSHOT_NAME = "supervisor-rules";

/** The stored format of the snapshot (header and parts); the body's is SUPERVISION_SNAPSHOT_FORMAT. */
export const RULE_SNAPSHOT_FORMAT = 1;

/** The position a snapshot covers: the last ledger or audit event its state includes. */
export interface RuleSnapshotPosition {
  readonly position: bigint;
  readonly eventId: string;
}

/** One cooperative's part as written: its base64 text and that text's SHA-256 (hex). */
export interface EncodedPart {
  readonly text: string;
  readonly sha256: string;
}

interface RuleSnapshotHeader {
  readonly format: number;
  readonly stateFormat: number;
  readonly position: string;
  readonly eventId: string;
  readonly configuration: string;
  /** [coopId, SHA-256 of its part], in the order of the parts after the header. */
  readonly cooperatives: readonly (readonly [string, string])[];
  readonly contentSha256: string;
}

type Claimed = Omit<RuleSnapshotHeader, "contentSha256">;

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

const contentHashOf = (claimed: Claimed): string =>
  sha256(
    JSON.stringify([
      claimed.format,
      claimed.stateFormat,
      claimed.position,
      claimed.eventId,
      claimed.configuration,
      claimed.cooperatives,
    ]),
  );

/** A cooperative's encoded bytes as a stored part. */
export const partOf = (bytes: Buffer): EncodedPart => {
  const text = bytes.toString("base64");
  return { text, sha256: sha256(text) };
};

/** The parts to store: the header, then each cooperative's part in the order of `coopIds`. */
export const ruleSnapshotParts = (
  state: SupervisionState,
  at: RuleSnapshotPosition,
  coopIds: readonly string[],
  parts: ReadonlyMap<string, EncodedPart>,
): string[] => {
  const texts: string[] = [];
  const cooperatives: [string, string][] = [];
  for (const coopId of coopIds) {
    const part = parts.get(coopId);
    if (part === undefined) throw new Error(`no encoded part for cooperative ${coopId}`);
    texts.push(part.text);
    cooperatives.push([coopId, part.sha256]);
  }
  const claimed: Claimed = {
    format: RULE_SNAPSHOT_FORMAT,
    stateFormat: SUPERVISION_SNAPSHOT_FORMAT,
    position: at.position.toString(),
    eventId: at.eventId,
    configuration: supervisionConfigurationOf(state),
    cooperatives,
  };
  const header: RuleSnapshotHeader = { ...claimed, contentSha256: contentHashOf(claimed) };
  return [JSON.stringify(header), ...texts];
};

/** Why a stored snapshot is not used. */
export type RuleSnapshotRefusal =
  /** Of another format, thresholds, holidays or rules: written as it should be, for another supervisor. */
  | "other_version"
  /** Edited or broken (it does not match its hashes or cannot be read), or not of this log. */
  | "damaged";

/** What loading the stored snapshot gave. */
export type LoadedRuleSnapshot =
  | { readonly kind: "none" }
  /** Not used: the reason says why (damaged, another format or configuration, not this log). */
  | { readonly kind: "refused"; readonly reason: string; readonly refusal: RuleSnapshotRefusal }
  | {
      readonly kind: "loaded";
      readonly at: RuleSnapshotPosition;
      /** Each restored cooperative's part, kept by the writer so an unchanged one is not encoded again. */
      readonly parts: Map<string, EncodedPart>;
    };

/** The stored snapshot opened without restoring anything: its position and its cooperatives' parts. */
export type OpenedRuleSnapshot =
  | Exclude<LoadedRuleSnapshot, { readonly kind: "loaded" }>
  | {
      readonly kind: "opened";
      readonly at: RuleSnapshotPosition;
      /** Each cooperative's part, in the order the snapshot lists them; each matches the hash it records. */
      readonly parts: ReadonlyMap<string, EncodedPart>;
    };

const refused = (reason: string, refusal: RuleSnapshotRefusal = "damaged") =>
  ({ kind: "refused", reason, refusal }) as const;

/** The header of the first part, or why it cannot be used. */
const headerOf = (
  text: string | undefined,
  state: SupervisionState,
): RuleSnapshotHeader | ReturnType<typeof refused> => {
  let header: Partial<RuleSnapshotHeader>;
  try {
    header = JSON.parse(text ?? "") as Partial<RuleSnapshotHeader>;
  } catch {
    return refused("its header is not JSON");
  }
  if (typeof header !== "object" || header === null) return refused("its header is not an object");
  if (header.format !== RULE_SNAPSHOT_FORMAT || header.stateFormat !== SUPERVISION_SNAPSHOT_FORMAT)
    return refused(
      `it is of format ${String(header.format)}/${String(header.stateFormat)}, not ${RULE_SNAPSHOT_FORMAT}/${SUPERVISION_SNAPSHOT_FORMAT}`,
      "other_version",
    );
  if (
    typeof header.position !== "string" ||
    !/^\d+$/.test(header.position) ||
    typeof header.eventId !== "string" ||
    typeof header.configuration !== "string" ||
    !Array.isArray(header.cooperatives) ||
    typeof header.contentSha256 !== "string"
  )
    return refused("its header lacks fields");
  if (contentHashOf(header as Claimed) !== header.contentSha256)
    return refused("its header does not match the hash it records");
  if (header.configuration !== supervisionConfigurationOf(state))
    return refused("it was taken with other thresholds, holidays or rules", "other_version");
  return header as RuleSnapshotHeader;
};

/** Whether the log holds, at the snapshot's position, the event the snapshot says it covers. */
const isOfThisLog = async (store: EventStore, at: RuleSnapshotPosition): Promise<boolean> => {
  const [event] = await store.readAll({ after: at.position - 1n, limit: 1 });
  return event !== undefined && event.position === at.position && event.eventId === at.eventId;
};

/** Each cooperative's part by cooperative; a reason when one does not match the hash it records. */
const partsOf = (header: RuleSnapshotHeader, texts: readonly string[]): Map<string, EncodedPart> | string => {
  if (texts.length !== header.cooperatives.length)
    return `it has ${texts.length} cooperative parts, its header lists ${header.cooperatives.length}`;
  const parts = new Map<string, EncodedPart>();
  for (let index = 0; index < texts.length; index += 1) {
    const text = texts[index] as string;
    const [coopId, claimed] = header.cooperatives[index] as readonly [string, string];
    if (sha256(text) !== claimed) return `the part of ${coopId} does not match the hash it records`;
    parts.set(coopId, { text, sha256: claimed });
  }
  return parts;
};

/**
 * Opens the stored snapshot for `state`'s configuration without restoring it: "opened" with its position
 * and parts when its header and every part match their hashes and the log holds the event it covers,
 * "none" when there is none, "refused" with the reason otherwise.
 */
export const openRuleSnapshot = async (
  table: ReadModelSnapshotTable,
  store: EventStore,
  state: SupervisionState,
): Promise<OpenedRuleSnapshot> => {
  const record = await table.load(RULE_SNAPSHOT_NAME);
  if (record === null) return { kind: "none" };
  const header = headerOf(record.parts[0], state);
  if ("kind" in header) return header;
  const at = { position: BigInt(header.position), eventId: header.eventId };
  if (record.position !== at.position) return refused("its header does not match its stored position");
  if (!(await isOfThisLog(store, at)))
    return refused(`the log has not the event ${at.eventId} at position ${at.position}`);
  const parts = partsOf(header, record.parts.slice(1));
  return typeof parts === "string" ? refused(parts) : { kind: "opened", at, parts };
};

/**
 * Puts one cooperative's part into `state`; a reason when it cannot be read or holds another cooperative.
 */
export const restorePart = (state: SupervisionState, coopId: string, part: EncodedPart): string | null => {
  try {
    if (restoreCooperativeSupervision(state, Buffer.from(part.text, "base64")) !== coopId)
      return `the part listed as ${coopId} holds another cooperative`;
  } catch (error) {
    return `the part of ${coopId} cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
};

/**
 * Loads the stored snapshot into `state` (which must be fresh): "loaded" with its position, "none" when
 * there is none, "refused" with the reason when it is damaged, of another format or configuration, or
 * not of this log; then `state` is left as fresh as it was given.
 */
export const loadRuleSnapshot = async (
  table: ReadModelSnapshotTable,
  store: EventStore,
  state: SupervisionState,
): Promise<LoadedRuleSnapshot> => {
  const opened = await openRuleSnapshot(table, store, state);
  if (opened.kind !== "opened") return opened;
  for (const [coopId, part] of opened.parts) {
    const reason = restorePart(state, coopId, part);
    if (reason !== null) {
      state.cooperatives.clear();
      return refused(reason);
    }
  }
  return { kind: "loaded", at: opened.at, parts: new Map(opened.parts) };
};
