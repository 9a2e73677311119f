export { chainHash } from "./chainHash.js";
export type { CheckpointHead, CheckpointStatement, SignedCheckpoint } from "./checkpoint.js";
export { readCheckpoint, signCheckpoint } from "./checkpoint.js";
export type { LedgerVerdict, VerifiableEvent } from "./ledgerVerifier.js";
export { LedgerVerifier } from "./ledgerVerifier.js";
export { runCli } from "./program.js";
