import type { Alert } from "@bukubesar/alerts";
import { describe, expect, it } from "vitest";
import { createInProcessAlertBus } from "../src/index.js";
import { sampleAlert } from "./alertFixtures.js";

describe("in-process alert bus", () => {
  it("delivers by region prefix and minimum severity, once per alert id", async () => {
    const bus = createInProcessAlertBus();
    const city: Alert[] = [];
    const otherCity: Alert[] = [];
    const highOnly: Alert[] = [];
    await bus.subscribe({ regionPrefix: "35.74" }, (alert) => void city.push(alert));
    await bus.subscribe({ regionPrefix: "35.13" }, (alert) => void otherCity.push(alert));
    await bus.subscribe({ regionPrefix: "*", minSeverity: "high" }, (alert) => void highOnly.push(alert));
    const warning = sampleAlert({ seed: "w" });
    const high = sampleAlert({ seed: "h", severity: "high" });
    expect(await bus.publish(warning)).toEqual({ duplicate: false });
    expect(await bus.publish(warning)).toEqual({ duplicate: true });
    await bus.publish(high);
    expect(city.map((alert) => alert.alertId)).toEqual([warning.alertId, high.alertId]);
    expect(otherCity).toHaveLength(0);
    expect(highOnly.map((alert) => alert.alertId)).toEqual([high.alertId]);
    await bus.close();
  });

  it("keeps delivering to others when one handler throws, and stops after close", async () => {
    const bus = createInProcessAlertBus();
    const received: string[] = [];
    await bus.subscribe({ regionPrefix: "35" }, () => {
      throw new Error("reader broke");
    });
    const subscription = await bus.subscribe(
      { regionPrefix: "35" },
      (alert) => void received.push(alert.alertId),
    );
    await bus.publish(sampleAlert({ seed: "a" }));
    await subscription.close();
    await bus.publish(sampleAlert({ seed: "b" }));
    expect(received).toEqual([sampleAlert({ seed: "a" }).alertId]);
  });
});
