import { ALERTS_STREAM_PREFIX, AUDIT_STREAM_PREFIX } from "@bukubesar/alerts";
import type { EventStore, StoredEvent } from "@bukubesar/event-store";
import { GENESIS_PREV_HASH } from "@bukubesar/ledger-core";
import { chainHash } from "./chainHash.js";
import type { CheckpointStreamHead } from "./checkpoint.js";
import { hashMismatchText } from "./ledgerVerifier.js";
import { readAllPages, readStreamPages } from "./storeAccess.js";

/** The principals stream (tokens and sessions), chained like a ledger. */
const PRINCIPALS_STREAM = "principals";

/** The outcome for one alerts, audit or principals stream. */
export type ChainedStreamReport =
  | {
      readonly ok: true;
      readonly streamId: string;
      readonly events: number;
      /** Events recorded before these streams were chained: counted, their revisions checked, not hashed. */
      readonly unchainedEvents: number;
      readonly headHash: string;
    }
  | { readonly ok: false; readonly streamId: string; readonly revision: number; readonly reason: string };

/**
 * Checks one chained stream event by event: revisions contiguous from 0, and from its first chained event
 * on, each prevHash the hash before it and each hash recomputed by the rule of docs/hash-chain.md. Events
 * recorded before the stream was chained (no hash) may only come first.
 */
class ChainedStreamVerification {
  private expectedRevision = 0;
  private previousHash = GENESIS_PREV_HASH;
  private unchained = 0;
  private problem: { revision: number; reason: string } | null = null;

  constructor(
    readonly streamId: string,
    /** The head a signed checkpoint records for this stream: the chain must still pass through it. */
    private readonly signedHead: CheckpointStreamHead | undefined = undefined,
  ) {}

  accept(event: StoredEvent): void {
    if (this.problem !== null) return;
    this.problem = this.check(event);
    if (this.problem === null && this.signedHead?.revision === event.revision) {
      if (this.previousHash !== this.signedHead.headHash)
        this.problem = {
          revision: event.revision,
          reason: `the chain does not pass through the checkpoint's head ${this.signedHead.headHash} at revision ${event.revision}`,
        };
    }
    if (this.problem === null) this.expectedRevision += 1;
  }

  private check(event: StoredEvent): { revision: number; reason: string } | null {
    const revision = this.expectedRevision;
    if (event.revision !== revision) {
      return event.revision > revision
        ? {
            revision,
            reason: `revision ${revision} is missing: the next stored event has revision ${event.revision}`,
          }
        : {
            revision,
            reason: `revision ${event.revision} appears again where revision ${revision} was expected`,
          };
    }
    const metadata = (event.metadata ?? {}) as { prevHash?: unknown; hash?: unknown };
    if (metadata.hash === undefined && metadata.prevHash === undefined) {
      if (this.unchained === revision) {
        this.unchained += 1;
        return null;
      }
      return { revision, reason: "the event carries no chain hash after chained events (the chain was cut)" };
    }
    if (metadata.prevHash !== this.previousHash) {
      return {
        revision,
        reason: `prevHash ${String(metadata.prevHash)} does not match the hash of the previous event ${this.previousHash}`,
      };
    }
    const recomputed = chainHash(this.previousHash, event);
    if (metadata.hash !== recomputed)
      return { revision, reason: hashMismatchText(String(metadata.hash), recomputed) };
    this.previousHash = recomputed;
    return null;
  }

  finish(): ChainedStreamReport {
    if (
      this.problem === null &&
      this.signedHead !== undefined &&
      this.expectedRevision <= this.signedHead.revision
    )
      this.problem = {
        revision: this.expectedRevision,
        reason: `the chain ends at revision ${this.expectedRevision - 1} but the checkpoint records it up to revision ${this.signedHead.revision}`,
      };
    if (this.problem !== null) return { ok: false, streamId: this.streamId, ...this.problem };
    return {
      ok: true,
      streamId: this.streamId,
      events: this.expectedRevision,
      unchainedEvents: this.unchained,
      headHash: this.previousHash,
    };
  }
}

/** The pages of every chained stream of the store, or of one cooperative's alerts and audit streams. */
const chainedStreamSources = (store: EventStore, coopId: string | null) =>
  coopId === null
    ? [ALERTS_STREAM_PREFIX, AUDIT_STREAM_PREFIX, PRINCIPALS_STREAM].map((prefix) =>
        readAllPages(store, prefix),
      )
    : [`${ALERTS_STREAM_PREFIX}${coopId}`, `${AUDIT_STREAM_PREFIX}${coopId}`].map((id) =>
        readStreamPages(store, id),
      );

/** A stream whose id merely starts like the principals stream's, met while scanning the whole store. */
const isOtherPrincipalsStream = (coopId: string | null, streamId: string): boolean =>
  coopId === null && streamId.startsWith(PRINCIPALS_STREAM) && streamId !== PRINCIPALS_STREAM;

/**
 * Verifies the alerts and audit streams (of one cooperative, or all) and, for the whole store, the
 * principals stream: a deleted, edited or reordered alert, refusal or token shows as a broken chain, as
 * it does in a ledger. Reports come in stream id order.
 */
export const verifyChainedStreams = async (
  store: EventStore,
  coopId: string | null,
  upToPosition: bigint,
  signedHeads: ReadonlyMap<string, CheckpointStreamHead> = new Map(),
): Promise<ChainedStreamReport[]> => {
  const verifications = new Map<string, ChainedStreamVerification>();
  const verificationOf = (streamId: string): ChainedStreamVerification => {
    let verification = verifications.get(streamId);
    if (verification === undefined) {
      verification = new ChainedStreamVerification(streamId, signedHeads.get(streamId));
      verifications.set(streamId, verification);
    }
    return verification;
  };
  for (const pages of chainedStreamSources(store, coopId)) {
    for await (const page of pages) {
      for (const event of page) {
        if (event.position > upToPosition || isOtherPrincipalsStream(coopId, event.streamId)) continue;
        verificationOf(event.streamId).accept(event);
      }
    }
  }
  // A stream the checkpoint records that is gone altogether fails like a truncated one.
  for (const streamId of signedHeads.keys()) {
    if (coopId === null || streamId.endsWith(`-${coopId}`)) verificationOf(streamId);
  }
  return [...verifications.keys()]
    .sort()
    .map((streamId) => (verifications.get(streamId) as ChainedStreamVerification).finish());
};
