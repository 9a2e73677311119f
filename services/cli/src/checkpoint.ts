import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { canonicalJson } from "@bukubesar/ledger-core";

/** Names the file format, so a later format can be told apart and older files still read. */
export const CHECKPOINT_FORMAT = "bukubesar-checkpoint-v1";

/** One ledger's head at the time of the checkpoint. */
export interface CheckpointHead {
  readonly coopId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly headHash: string;
}

/** The head of one alerts, audit or principals stream (chained like a ledger) at the checkpoint. */
export interface CheckpointStreamHead {
  readonly streamId: string;
  readonly revision: number;
  readonly headHash: string;
}

/**
 * What is signed: when, every ledger's head and, since the alerts, refusals and principals are chained too,
 * every such stream's head (absent from checkpoints written before them, which still verify).
 */
export interface CheckpointStatement {
  readonly createdAt: string;
  readonly heads: readonly CheckpointHead[];
  readonly streams?: readonly CheckpointStreamHead[];
}

/**
 * A signed checkpoint as written to disk. The signature is Ed25519 over the UTF-8 bytes of the RFC 8785
 * canonical JSON of `statement`, so anyone can check it with their own tools. The public key travels
 * with it for convenience only: an auditor checks against the key they kept (`--public-key`).
 */
export interface SignedCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly statement: CheckpointStatement;
  readonly algorithm: "Ed25519";
  readonly signature: string;
  readonly publicKey: string;
}

/** A new Ed25519 key pair as PEM: PKCS#8 private key, SPKI public key. */
export const generateCheckpointKeyPair = (): { privateKeyPem: string; publicKeyPem: string } => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};

const statementBytes = (statement: CheckpointStatement): Buffer =>
  Buffer.from(canonicalJson(statement), "utf8");

/** Signs a statement with an Ed25519 private key given as PEM. */
export const signCheckpoint = (statement: CheckpointStatement, privateKeyPem: string): SignedCheckpoint => {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new TypeError(`the key is ${privateKey.asymmetricKeyType ?? "not asymmetric"}, not Ed25519`);
  }
  const signature = sign(null, statementBytes(statement), privateKey).toString("base64");
  const publicKey = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  return { format: CHECKPOINT_FORMAT, statement, algorithm: "Ed25519", signature, publicKey };
};

export type CheckpointReading =
  | { readonly ok: true; readonly checkpoint: SignedCheckpoint; readonly keySource: "given" | "embedded" }
  | { readonly ok: false; readonly reason: string };

const HASH_PATTERN = /^[0-9a-f]{64}$/;

const isStreamHead = (value: unknown): value is CheckpointStreamHead => {
  if (typeof value !== "object" || value === null) return false;
  const head = value as Record<string, unknown>;
  return (
    typeof head.streamId === "string" &&
    Number.isSafeInteger(head.revision) &&
    (head.revision as number) >= -1 &&
    typeof head.headHash === "string" &&
    HASH_PATTERN.test(head.headHash)
  );
};

const isHead = (value: unknown): value is CheckpointHead => {
  if (typeof value !== "object" || value === null) return false;
  const head = value as Record<string, unknown>;
  return (
    typeof head.coopId === "string" &&
    typeof head.streamId === "string" &&
    Number.isSafeInteger(head.revision) &&
    (head.revision as number) >= 0 &&
    typeof head.headHash === "string" &&
    HASH_PATTERN.test(head.headHash)
  );
};

/**
 * Parses a checkpoint file and checks its signature, against `publicKeyPem` when given (the key the
 * auditor kept) and otherwise against the key inside the file (which only proves the file is intact).
 */
export const readCheckpoint = (text: string, publicKeyPem: string | null): CheckpointReading => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: "the checkpoint file is not JSON" };
  }
  const candidate = parsed as Partial<SignedCheckpoint> | null;
  if (candidate === null || typeof candidate !== "object" || candidate.format !== CHECKPOINT_FORMAT) {
    return { ok: false, reason: `the checkpoint file is not in the ${CHECKPOINT_FORMAT} format` };
  }
  const statement = candidate.statement;
  if (
    typeof statement !== "object" ||
    statement === null ||
    typeof statement.createdAt !== "string" ||
    !Array.isArray(statement.heads) ||
    !statement.heads.every(isHead) ||
    (statement.streams !== undefined &&
      (!Array.isArray(statement.streams) || !statement.streams.every(isStreamHead)))
  ) {
    return { ok: false, reason: "the checkpoint statement is malformed" };
  }
  if (typeof candidate.signature !== "string" || typeof candidate.publicKey !== "string") {
    return { ok: false, reason: "the checkpoint has no signature or no public key" };
  }
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem ?? candidate.publicKey);
  } catch {
    return { ok: false, reason: "the public key is not a valid PEM key" };
  }
  if (key.asymmetricKeyType !== "ed25519") {
    return { ok: false, reason: "the public key is not an Ed25519 key" };
  }
  const valid = verify(null, statementBytes(statement), key, Buffer.from(candidate.signature, "base64"));
  if (!valid) return { ok: false, reason: "the checkpoint signature does not match its statement and key" };
  return {
    ok: true,
    checkpoint: candidate as SignedCheckpoint,
    keySource: publicKeyPem === null ? "embedded" : "given",
  };
};
