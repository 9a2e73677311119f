/**
 * Runs commands one after another through the decider, keeping the events of the accepted ones,
 * as the command handler does.
 */
import { isLeft } from "fp-ts/lib/Either.js";
import type { LedgerCommand } from "../commands.js";
import { decide } from "../decide.js";
import type { LedgerEvent } from "../events.js";
import { foldLedger } from "../evolve.js";
import type { Rejection } from "../rejection.js";
import type { LedgerState } from "../state.js";
import { initialLedgerState } from "../state.js";

export interface CommandRun {
  readonly events: readonly LedgerEvent[];
  readonly state: LedgerState;
  readonly rejections: readonly { readonly command: LedgerCommand; readonly rejection: Rejection }[];
}

export const runCommands = (
  commands: readonly LedgerCommand[],
  from: LedgerState = initialLedgerState,
): CommandRun => {
  const events: LedgerEvent[] = [];
  const rejections: { command: LedgerCommand; rejection: Rejection }[] = [];
  let state = from;
  for (const command of commands) {
    const decision = decide(command, state);
    if (isLeft(decision)) {
      rejections.push({ command, rejection: decision.left });
      continue;
    }
    events.push(...decision.right);
    state = foldLedger(decision.right, state);
  }
  return { events, state, rejections };
};
