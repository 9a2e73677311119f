/**
 * The second thread of `verify` on a SQLite store: receives the rows the main thread read (which hashes
 * them, chainHashCheck.ts), decodes each and runs every other check and fold (StreamVerification:
 * revisions, links, invariants, balances, the projections' model), and at the end answers one report per
 * stream, merged with the main thread's first hash mismatch of that stream.
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseStoredJson, ShapeCodec, type StoredEvent } from "@bukubesar/event-store";
import type { HashMismatch } from "./chainHashCheck.js";
import type { CheckpointHead } from "./checkpoint.js";
import type { FoldPage, FoldRequest, FoldWorkerMessage } from "./verifyFoldProtocol.js";
import { type LedgerReport, StreamVerification } from "./verifyLedgers.js";
import { jsonTextIsWellFormed } from "./wellFormed.js";

const request = workerData as FoldRequest;
const heads = new Map<string, CheckpointHead>(request.checkpointHeads.map((head) => [head.streamId, head]));
const verifications = new Map<string, StreamVerification>();

/** Each stream's length as the reading thread found it, until the stream's verification is made. */
const streamLengths = new Map<string, number>();

const verificationOf = (streamId: string): StreamVerification => {
  let verification = verifications.get(streamId);
  if (verification === undefined) {
    verification = new StreamVerification(
      streamId,
      heads.get(streamId) ?? null,
      request.checkpointTime,
      true,
      streamLengths.get(streamId) ?? 0,
    );
    streamLengths.delete(streamId);
    verifications.set(streamId, verification);
  }
  return verification;
};

/** The shapes the reading thread has sent, and whether each shape's own text (its keys) is well-formed. */
const shapeTexts = new Map<number, string>();
const shapeKeysWellFormed = new Map<number, boolean>();
const shapes = new ShapeCodec((shapeId) => shapeTexts.get(shapeId));

const learnShapes = (page: FoldPage): void => {
  for (const [shapeId, text] of page.shapes) {
    if (text === null) continue;
    shapeTexts.set(shapeId, text);
    shapeKeysWellFormed.set(shapeId, jsonTextIsWellFormed(text));
  }
};

/** One column decoded, and whether its texts prove every string of it well-formed. */
interface DecodedColumn {
  value: unknown;
  wellFormed: boolean;
}

/**
 * Decodes one stored column into `into`: the value JSON.parse gives of its canonical text, as the
 * reading thread hashed it. Built from the parsed values when they are the store's own
 * (ShapeCodec.decodeCanonical); then the values text and the shape's text hold every string and key.
 * Otherwise the canonical text is written and parsed, as before shapes.
 */
const decodeColumn = (shapeId: number, stored: string, into: DecodedColumn): void => {
  const built = shapes.decodeCanonical(shapeId, stored);
  if (built !== undefined) {
    into.value = built;
    into.wellFormed = shapeKeysWellFormed.get(shapeId) === true && jsonTextIsWellFormed(stored);
    return;
  }
  const text = shapes.canonical(shapeId, stored);
  into.value = parseStoredJson(text);
  into.wellFormed = jsonTextIsWellFormed(text);
};

const withChainFields = (value: unknown, prevHash: string | null, hash: string | null): unknown => {
  if (prevHash === null || hash === null) return value;
  // A metadata value that is no JSON object still carries its chain fields, so the links are checked.
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  record.prevHash = prevHash;
  record.hash = hash;
  return record;
};

const data: DecodedColumn = { value: null, wellFormed: false };
const metadata: DecodedColumn = { value: null, wellFormed: false };

/**
 * The metadata of a row whose metadata the reading thread left out (FoldPage.metadata): its chain fields,
 * which the verifier checks, and nothing else. The projections read only the recording time from the
 * metadata, into each posted entry, which verify's model lets go of (forgetEntries): the trial balance
 * it compares is the accounts' daily totals, which do not read it.
 */
const chainFieldsOnly = (prevHash: string | null, hash: string | null): DecodedColumn => {
  metadata.value = { prevHash, hash };
  metadata.wellFormed = true;
  return metadata;
};

const foldPage = (page: FoldPage): void => {
  learnShapes(page);
  for (const [streamId, length] of page.streamLengths) streamLengths.set(streamId, length);
  const pageVerifications = page.streams.map(verificationOf);
  for (let index = 0; index < page.revisions.length; index += 1) {
    const verification = pageVerifications[page.streamOf[index] as number] as StreamVerification;
    if (verification.failed) continue;
    decodeColumn(page.dataShapes[index] as number, page.data[index] as string, data);
    const prevHash = page.prevHashes[index] ?? null;
    const hash = page.hashes[index] ?? null;
    const storedMetadata = page.metadata[index] ?? null;
    if (storedMetadata === null) chainFieldsOnly(prevHash, hash);
    else {
      decodeColumn(page.metadataShapes[index] as number, storedMetadata, metadata);
      metadata.value = withChainFields(metadata.value, prevHash, hash);
    }
    const event: StoredEvent & { readonly stringsWellFormed: boolean } = {
      streamId: verification.streamId,
      revision: page.revisions[index] as number,
      position: 0n,
      eventId: "",
      type: page.types[page.typeOf[index] as number] as string,
      data: data.value,
      metadata: metadata.value,
      recordedAt: "",
      // The chain fields added to the metadata are hex, so the stored texts decide.
      stringsWellFormed: data.wellFormed && metadata.wellFormed,
    };
    verification.accept(event);
  }
};

const finish = (mismatches: readonly HashMismatch[]): LedgerReport[] => {
  const byStream = new Map(mismatches.map((mismatch) => [mismatch.streamId, mismatch]));
  const reports: LedgerReport[] = [];
  for (const streamId of [...verifications.keys()].sort((left, right) => (left < right ? -1 : 1))) {
    reports.push((verifications.get(streamId) as StreamVerification).finish(byStream.get(streamId) ?? null));
  }
  return reports;
};

parentPort?.on("message", (message: FoldWorkerMessage) => {
  try {
    if (message.kind === "page") {
      foldPage(message.page);
      parentPort?.postMessage({ kind: "folded" });
    } else {
      parentPort?.postMessage({ kind: "reports", reports: finish(message.mismatches) });
    }
  } catch (error) {
    parentPort?.postMessage({
      kind: "failed",
      reason: error instanceof Error ? error.message : String(error),
    });
  }
});
