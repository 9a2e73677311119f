// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON report and
// exits non-zero when a test failed, a file failed to load, vitest itself failed, or nothing ran at all.
import { existsSync, readFileSync } from "node:fs";

const [reportPath, vitestStatusText] = process.argv.slice(2);
const vitestStatus = Number(vitestStatusText ?? "1");

if (!reportPath || !existsSync(reportPath)) {
  console.log("0 passed, 1 failed, 0 skipped");
  console.error("vitest wrote no report: it did not run");
  process.exit(1);
}

const report = JSON.parse(readFileSync(reportPath, "utf8"));
const passed = report.numPassedTests ?? 0;
const failedTests = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A test file that fails to load has no failed test inside it, but it is a failure all the same.
const brokenFiles = (report.testResults ?? []).filter(
  (file) =>
    file.status === "failed" && (file.assertionResults ?? []).every((test) => test.status !== "failed"),
).length;
const failed = failedTests + brokenFiles;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || vitestStatus !== 0) process.exit(1);
if (passed === 0) {
  console.error("no test ran");
  process.exit(1);
}
