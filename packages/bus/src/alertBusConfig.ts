import type { AlertBus } from "./alertBus.js";
import { DEFAULT_ALERTS_STREAM, DEFAULT_SUBJECT_PREFIX } from "./alertSubjects.js";
import { createInProcessAlertBus } from "./inProcessAlertBus.js";
import { openNatsAlertBus } from "./natsAlertBus.js";

export interface AlertBusConfig {
  /** NATS_URL; null for the in-process bus. */
  readonly natsUrl: string | null;
  readonly streamName: string;
  readonly subjectPrefix: string;
  /** NATS_ALERTS_REPLICAS (1 by default; 3 for an R3 cluster). */
  readonly replicas: number;
}

/** Reads NATS_URL, NATS_ALERTS_STREAM, NATS_SUBJECT_PREFIX and NATS_ALERTS_REPLICAS (api.md "Starting it"). */
export const alertBusConfigFromEnvironment = (
  environment: Readonly<Record<string, string | undefined>>,
): AlertBusConfig => {
  const natsUrl = environment.NATS_URL?.trim();
  return {
    natsUrl: natsUrl === undefined || natsUrl === "" ? null : natsUrl,
    streamName: environment.NATS_ALERTS_STREAM || DEFAULT_ALERTS_STREAM,
    subjectPrefix: environment.NATS_SUBJECT_PREFIX || DEFAULT_SUBJECT_PREFIX,
    replicas: Number(environment.NATS_ALERTS_REPLICAS || "1"),
  };
};

/** The in-process bus without NATS_URL, else JetStream (stream checked or created at start). */
export const openAlertBus = async (config: AlertBusConfig): Promise<AlertBus> => {
  if (config.natsUrl === null) return createInProcessAlertBus();
  return openNatsAlertBus({
    servers: config.natsUrl,
    streamName: config.streamName,
    subjectPrefix: config.subjectPrefix,
    replicas: config.replicas,
  });
};
