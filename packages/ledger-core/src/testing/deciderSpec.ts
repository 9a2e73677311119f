/**
 * Given/when/then for deciders: fold `evolve` over the given events, run `decide` on the command,
 * and check the `Either`. Framework-free (node:assert), so any test runner can use it.
 */
import { deepStrictEqual, fail } from "node:assert/strict";
import { isLeft } from "fp-ts/lib/Either.js";
import type { Decider } from "../decider.js";

export interface DeciderThen<Event, Failure> {
  /** Asserts the command was accepted with exactly these events; returns them. */
  readonly thenEmits: (expected: readonly Event[]) => readonly Event[];
  /** Asserts the command was refused with this tag (and, if given, code); returns the rejection. */
  readonly thenRejects: (tag: string, code?: string) => Failure;
  /** Asserts the command was accepted; returns its events for further checks. */
  readonly thenAccepts: () => readonly Event[];
}

export const deciderSpec =
  <Command, Event, State, Failure extends { readonly _tag: string; readonly code?: string }>(
    decider: Decider<Command, Event, State, Failure>,
  ) =>
  (given: readonly Event[]) => ({
    when: (command: Command): DeciderThen<Event, Failure> => {
      const state = given.reduce(decider.evolve, decider.initialState);
      const result = decider.decide(command, state);
      const accepted = (): readonly Event[] => {
        if (isLeft(result))
          fail(`expected events, but the command was refused: ${JSON.stringify(result.left)}`);
        return result.right;
      };
      return {
        thenEmits: (expected) => {
          const events = accepted();
          deepStrictEqual(events, expected);
          return events;
        },
        thenAccepts: accepted,
        thenRejects: (tag, code) => {
          if (!isLeft(result)) fail(`expected the rejection ${tag}, but got ${JSON.stringify(result.right)}`);
          deepStrictEqual(result.left._tag, tag, `expected ${tag}: ${JSON.stringify(result.left)}`);
          if (code !== undefined) deepStrictEqual(result.left.code, code);
          return result.left;
        },
      };
    },
  });
