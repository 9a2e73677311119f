import { openEventStore } from "@bukubesar/event-store";
import { applyInPlace, foldLedger, type LedgerEvent } from "@bukubesar/ledger-core";
const [path, mode = "evolve", roundsText = "2"] = process.argv.slice(2);
const store = await openEventStore(`sqlite:${path}`);
const stream = "ledger-kkmp-replay-bench";
for (let round = 0; round < Number(roundsText); round++) {
  const cpu = process.cpuUsage(); const t = performance.now(); let n = 0; let from = 0;
  const state = foldLedger([]);
  for (;;) {
    const page = await store.readStream(stream, { fromRevision: from, limit: 5000 });
    if (mode === "evolve") for (const e of page) applyInPlace(state, { type: e.type, data: e.data } as LedgerEvent);
    n += page.length; if (page.length < 5000) break; from = page[page.length - 1]!.revision + 1;
  }
  const c = process.cpuUsage(cpu); const cpuS = (c.user + c.system) / 1e6; const wall = (performance.now() - t) / 1000;
  console.log(`${mode} ${n} events wall ${wall.toFixed(2)}s = ${Math.round(n / wall)}/s; cpu ${cpuS.toFixed(2)}s = ${Math.round(n / cpuS)}/s per CPU-second`);
}
await store.close();
