/**
 * The ledger as a decider (decide, evolve, initial state), the shape the command handler and the test
 * helper take.
 */
import type { Either } from "fp-ts/lib/Either.js";
import type { LedgerCommand } from "./commands.js";
import { decide } from "./decide.js";
import type { LedgerEvent } from "./events.js";
import { evolve } from "./evolve.js";
import type { Rejection } from "./rejection.js";
import type { LedgerState } from "./state.js";
import { initialLedgerState } from "./state.js";

export interface Decider<Command, Event, State, Failure> {
  readonly decide: (command: Command, state: State) => Either<Failure, readonly Event[]>;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

export const ledgerDecider: Decider<LedgerCommand, LedgerEvent, LedgerState, Rejection> = {
  decide,
  evolve,
  initialState: initialLedgerState,
};
