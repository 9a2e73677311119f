import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EventStore, SqliteEventStore } from "@bukubesar/event-store";
import { afterAll, describe, expect, it } from "vitest";
import {
  balanceSheet,
  buildReadModel,
  createProjectionRunner,
  type LedgerReadModel,
  type ProjectionRunner,
  shuReport,
  trialBalance,
} from "../src/index.js";
import { kkmpYear } from "./kkmpYear.js";

const directory = mkdtempSync(join(tmpdir(), "bukubesar-projections-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const modelOf = (runner: ProjectionRunner, coopId: string): LedgerReadModel => {
  const model = runner.model(coopId);
  if (model === undefined) throw new Error(`no model for ${coopId}`);
  return model;
};

const reports = (model: LedgerReadModel) => ({
  trialBalance: trialBalance(model, "2027-12-31"),
  june: trialBalance(model, "2026-06-30"),
  balanceSheet: balanceSheet(model, "2026-12-31"),
  shu: shuReport(model, 2026),
});

describe("projection runner on a real SQLite store", () => {
  it("tells progress per page of a rebuild, and still reads the log as a fold does", async () => {
    const store = new SqliteEventStore(join(directory, "progress.db"));
    const { builder } = kkmpYear();
    const appended = await store.append(
      `ledger-${builder.coopId}`,
      "no_stream",
      builder.events.map((event) => ({
        eventId: event.metadata.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      })),
    );
    const fullReads = { count: 0 };
    // The same store, with its full reads of the log counted (everything else goes to it unchanged).
    const counted = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== "readAll" || typeof value !== "function") return value;
        return (...args: Parameters<EventStore["readAll"]>) => {
          fullReads.count += 1;
          return target.readAll(...args);
        };
      },
    });
    const runner = createProjectionRunner(counted);
    const told: Array<{ position: bigint; events: number }> = [];
    const remove = runner.onProgress((position, events) => told.push({ position, events }));
    try {
      await runner.rebuild({ saveSnapshot: false });
      expect(told.reduce((sum, page) => sum + page.events, 0)).toBe(builder.events.length);
      expect(told.at(-1)?.position).toBe(appended.position);
      expect(fullReads.count).toBe(0);
      expect(reports(modelOf(runner, builder.coopId))).toEqual(
        reports(buildReadModel(builder.coopId, builder.events)),
      );
    } finally {
      remove();
      await runner.stop();
      await store.close();
    }
  });

  it("follows, survives a restart by replaying the log, and rebuilds to the same reports", async () => {
    const path = join(directory, "store.db");
    const { builder } = kkmpYear();
    const expected = reports(buildReadModel(builder.coopId, builder.events));
    let store: EventStore = new SqliteEventStore(path);
    const half = Math.floor(builder.events.length / 2);
    const toNew = (index: number) => {
      const event = builder.events[index];
      if (event === undefined) throw new Error("no event");
      return {
        eventId: event.metadata.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      };
    };
    await store.append(
      `ledger-${builder.coopId}`,
      "no_stream",
      builder.events.slice(0, half).map((_event, index) => toNew(index)),
    );
    const runner = createProjectionRunner(store);
    await runner.start();
    // Live events while the runner follows.
    let last = -1n;
    for (let index = half; index < builder.events.length; index++) {
      last = (await store.append(`ledger-${builder.coopId}`, index - 1, [toNew(index)])).position;
    }
    await runner.waitForPosition(last, 10_000);
    expect(reports(modelOf(runner, builder.coopId))).toEqual(expected);
    await runner.rebuild();
    expect(runner.position()).toBe(last);
    expect(reports(modelOf(runner, builder.coopId))).toEqual(expected);
    await runner.stop();
    await store.close();

    // A restart: nothing but the log, read again from the beginning.
    store = new SqliteEventStore(path);
    const restarted = createProjectionRunner(store);
    await restarted.start();
    await restarted.waitForPosition(last, 10_000);
    expect(reports(modelOf(restarted, builder.coopId))).toEqual(expected);
    await restarted.stop();
    await store.close();
  });
});
