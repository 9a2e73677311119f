export { chainHash } from "./chain-hash.js";
export type { CheckpointHead, CheckpointStatement, SignedCheckpoint } from "./checkpoint.js";
export { readCheckpoint, signCheckpoint } from "./checkpoint.js";
export type { LedgerVerdict, VerifiableEvent } from "./ledger-verifier.js";
export { LedgerVerifier } from "./ledger-verifier.js";
export { runCli } from "./program.js";
