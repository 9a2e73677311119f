/**
 * Builders, arbitraries and the decider's given/when/then for tests, at `@bukubesar/ledger-core/testing`:
 * kept off the main entry point so production code never loads them (nor fast-check, a dev dependency).
 */
export {
  arbAmount,
  arbBalancedLines,
  arbCommandSequence,
  arbDate,
  arbJsonValue,
  arbLedgerHistory,
  openingCommands,
} from "./arbitraries.js";
export type { ControlCase, ControlEntryBody } from "./controlCases.js";
export {
  CONTROL_CASES,
  CONTROL_EXIT,
  CONTROL_MEMBERS,
  CONTROL_OPENING_ENTRIES,
  jsonPointerOf,
} from "./controlCases.js";
export type { DeciderThen } from "./deciderSpec.js";
export { deciderSpec } from "./deciderSpec.js";
export {
  admin,
  approver,
  command,
  credit,
  debit,
  journalEntryPosted,
  kkmpAccountsOpened,
  kkmpLedger,
  ledgerOpened,
  memberRegistered,
  postJournalEntry,
  TEST_COOP_ID,
  TEST_REGION_CODE,
  treasurer,
} from "./fixtures.js";
export type { CommandRun } from "./runCommands.js";
export { runCommands } from "./runCommands.js";
