/**
 * The kept JSON answers of reports: one per snapshot object, revision, head hash and question; the oldest
 * go beyond the byte budget, and an answer larger than its own bound is not kept.
 */
import { emptySnapshot } from "@bukubesar/snapshots";
import { describe, expect, it } from "vitest";
import { ReportAnswers } from "../src/reportAnswers.js";

const counted = () => {
  const built = { count: 0 };
  return {
    built,
    build: (value: unknown) => () => {
      built.count += 1;
      return value;
    },
  };
};

describe("ReportAnswers", () => {
  it("builds an answer once per snapshot, revision and question", () => {
    const answers = new ReportAnswers();
    const { built, build } = counted();
    const first = emptySnapshot("kkmp-a");
    const other = emptySnapshot("kkmp-b");
    expect(answers.answer(first, 3, "q", build({ a: 1 }))).toBe('{"a":1}');
    expect(answers.answer(first, 3, "q", build({ a: 2 }))).toBe('{"a":1}');
    expect(built.count).toBe(1);
    // Another revision, another question, another snapshot object (another cooperative, or the same one
    // loaded again): each is built.
    expect(answers.answer(first, 4, "q", build({ a: 3 }))).toBe('{"a":3}');
    expect(answers.answer(first, 4, "r", build({ a: 4 }))).toBe('{"a":4}');
    expect(answers.answer(other, 4, "r", build({ b: 1 }))).toBe('{"b":1}');
    expect(built.count).toBe(4);
  });

  it("lets the oldest answers go beyond the byte budget, keys counted, and keeps none larger than its bound", () => {
    const snapshot = emptySnapshot("kkmp-a");
    // What one answer of 6 characters (with its quotes) costs with its key, measured on a first cache.
    const probe = new ReportAnswers();
    probe.answer(snapshot, 0, "1", () => "aaaa");
    const one = probe.usage().bytes;
    expect(one).toBeGreaterThan(6 + 64);
    const answers = new ReportAnswers(3 * one + 2, 12);
    const { built, build } = counted();
    answers.answer(snapshot, 0, "1", build("aaaa"));
    answers.answer(snapshot, 0, "2", build("bbbb"));
    answers.answer(snapshot, 0, "3", build("cccc"));
    expect(answers.usage()).toEqual({ answers: 3, bytes: 3 * one });
    answers.answer(snapshot, 0, "4", build("dddd"));
    expect(answers.usage()).toEqual({ answers: 3, bytes: 3 * one });
    answers.answer(snapshot, 0, "1", build("aaaa"));
    expect(built.count).toBe(5);

    answers.answer(snapshot, 0, "big", build("x".repeat(20)));
    answers.answer(snapshot, 0, "big", build("x".repeat(20)));
    expect(built.count).toBe(7);
  });
});
