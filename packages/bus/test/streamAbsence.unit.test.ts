import type { JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import {
  STREAM_MISSING_CONFIRM_MS,
  STREAM_MISSING_GAP_MAXIMUM_MS,
  StreamNotSettled,
  streamStateReader,
} from "../src/natsAlertBus.js";

/** The stream's answers come this far apart: well inside STREAM_MISSING_GAP_MAXIMUM_MS. */
const ANSWER_SPACING_MS = 1_000;
const CREATED_AGAIN = "2026-12-07T10:00:00Z";

type Answer = "notFound" | "timeout";

/**
 * A JetStream manager that answers streams.info with the outcome the test sets (the stream not found, or
 * a request that timed out), until the reader creates the stream again; the time is the test's.
 */
const fakeCluster = () => {
  let answer: Answer = "notFound";
  let time = 0;
  let creations = 0;
  const manager = {
    streams: {
      async info(): Promise<StreamInfo> {
        if (creations > 0)
          return { created: CREATED_AGAIN, state: { last_seq: 0 }, cluster: { leader: "n1" } } as StreamInfo;
        if (answer === "timeout") throw new Error("TimeoutError: timeout");
        throw new JetStreamApiError({
          code: 404,
          err_code: JetStreamApiCodes.StreamNotFound,
          description: "stream not found",
        });
      },
    },
  } as unknown as JetStreamManager;
  const streamState = streamStateReader(
    { manager: async () => manager, clustered: () => true, now: () => time },
    "ALERTS",
    async () => {
      creations += 1;
    },
  );
  return {
    creations: () => creations,
    /** Asks for the stream's state at `at` with the broker answering `with`: what the reader concluded. */
    async ask(at: number, with_: Answer): Promise<"created" | "notSettled" | "failed"> {
      time = at;
      answer = with_;
      try {
        await streamState();
        return "created";
      } catch (error) {
        return error instanceof StreamNotSettled ? "notSettled" : "failed";
      }
    },
  };
};

describe("the bus's judgement of a cluster's missing stream", () => {
  it("does not create the stream when the not-found answers were broken by timeouts", async () => {
    const cluster = fakeCluster();
    expect(await cluster.ask(0, "notFound")).toBe("notSettled");
    // The cluster restarts: every request times out for longer than the confirm time.
    let at = ANSWER_SPACING_MS;
    for (; at <= STREAM_MISSING_CONFIRM_MS + 2 * ANSWER_SPACING_MS; at += ANSWER_SPACING_MS)
      expect(await cluster.ask(at, "timeout")).toBe("failed");
    // One passing "not found" from its meta leader, not yet caught up with its log.
    expect(await cluster.ask(at, "notFound")).toBe("notSettled");
    expect(cluster.creations()).toBe(0);
  });

  it("does not count two not-found answers further apart than the gap bound as one run", async () => {
    const cluster = fakeCluster();
    expect(await cluster.ask(0, "notFound")).toBe("notSettled");
    const resumed = STREAM_MISSING_GAP_MAXIMUM_MS + ANSWER_SPACING_MS;
    expect(await cluster.ask(resumed, "notFound")).toBe("notSettled");
    expect(await cluster.ask(STREAM_MISSING_CONFIRM_MS + ANSWER_SPACING_MS, "notFound")).toBe("notSettled");
    expect(cluster.creations()).toBe(0);
    expect(await cluster.ask(resumed + STREAM_MISSING_CONFIRM_MS, "notFound")).toBe("created");
  });

  it("creates the stream once the cluster has answered not found, answer after answer, for the confirm time", async () => {
    const cluster = fakeCluster();
    for (let at = 0; at < STREAM_MISSING_CONFIRM_MS; at += ANSWER_SPACING_MS)
      expect(await cluster.ask(at, "notFound")).toBe("notSettled");
    expect(cluster.creations()).toBe(0);
    expect(await cluster.ask(STREAM_MISSING_CONFIRM_MS, "notFound")).toBe("created");
    expect(cluster.creations()).toBe(1);
  });
});
