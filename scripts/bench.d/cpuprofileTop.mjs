#!/usr/bin/env node
// Prints the top costs of a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file,
// and the inclusive time of the functions given with --inclusive=name,name.
//   node scripts/bench.d/cpuprofileTop.mjs FILE.cpuprofile [count] [--inclusive=a,b]
import { readFileSync } from "node:fs";

const [file, countText] = process.argv.slice(2).filter((argument) => !argument.startsWith("--"));
const inclusiveNames = (process.argv.find((a) => a.startsWith("--inclusive=")) ?? "--inclusive=")
  .slice("--inclusive=".length)
  .split(",")
  .filter((name) => name !== "");
const count = Number(countText ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const selfMicros = new Map();
const deltas = profile.timeDeltas;
for (let index = 0; index < profile.samples.length; index++) {
  const id = profile.samples[index];
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (deltas[index] ?? 0));
}
let total = 0;
for (const micros of selfMicros.values()) total += micros;
const shorten = (url) =>
  url
    .replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")
    .replace(/^.*\/(packages|services)\//, "$1/")
    .replace(/^file:\/\//, "");
const byFunction = new Map();
const byFile = new Map();
const inclusive = new Map(inclusiveNames.map((name) => [name, 0]));
for (const [id, micros] of selfMicros) {
  const frame = nodes.get(id).callFrame;
  const key = `${frame.functionName || "(anonymous)"} ${shorten(frame.url)}:${frame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  const fileKey = shorten(frame.url) || frame.functionName;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + micros);
  if (inclusive.size > 0) {
    const seen = new Set();
    for (let cursor = id; cursor !== undefined; cursor = parents.get(cursor)) {
      const name = nodes.get(cursor).callFrame.functionName;
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, inclusive.get(name) + micros);
      }
    }
  }
}
const print = (title, map) => {
  console.log(`${title} (of ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count))
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`);
};
print("self time by function", byFunction);
print("self time by file", byFile);
if (inclusive.size > 0) print("inclusive time", inclusive);
