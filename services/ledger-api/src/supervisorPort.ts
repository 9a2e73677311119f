import type { AlertBus } from "@bukubesar/bus";
import type { EventStore } from "@bukubesar/event-store";
import type { SupervisionOptions } from "@bukubesar/supervision";

/**
 * What the API needs of a supervisor it runs in its own process: its progress for /metrics and a way to
 * stop it. The API does not import the supervisor service: the composition root (the CLI's `serve`)
 * hands it a `StartSupervisor`, so each service can be read, built and replaced on its own.
 */
export interface InProcessSupervisor {
  /** Every ledger and audit event at or before this position has been judged (-1n: none). */
  processedThrough(): bigint;
  /** Alerts recorded but not yet confirmed published. */
  pendingPublications(): number;
  stop(): Promise<void>;
}

export interface StartSupervisorOptions {
  readonly store: EventStore;
  readonly bus: AlertBus;
  readonly supervision?: SupervisionOptions;
  readonly onError: (error: unknown) => void;
}

export type StartSupervisor = (options: StartSupervisorOptions) => Promise<InProcessSupervisor>;
