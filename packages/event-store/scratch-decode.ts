import Database from "better-sqlite3";
const path = process.argv[2]!;
const db = new Database(path, { readonly: true });
const sid = (db.prepare("SELECT stream_id FROM streams WHERE name LIKE 'ledger-%' ORDER BY last_revision DESC LIMIT 1").get() as any).stream_id;
const stmt = db.prepare("SELECT e.position, e.revision, e.event_id, e.type, e.data, e.metadata, e.prev_hash, e.hash, e.recorded_at FROM events e WHERE e.stream_id = ? AND e.revision >= ? ORDER BY e.revision LIMIT ?").raw();
const run = (name: string, f: (r: any[]) => unknown) => {
  const t = performance.now(); let n = 0; let from = 0; let sink: unknown;
  for (;;) { const rows = stmt.all(sid, from, 5000) as any[]; for (const r of rows) sink = f(r); n += rows.length; if (rows.length < 5000) break; from = rows[rows.length-1][1] + 1; }
  const s = (performance.now() - t) / 1000; console.log(name.padEnd(12), Math.round(n / s), "rows/s", typeof sink);
};
for (let i = 0; i < 2; i++) {
run("rows", (r) => r);
run("data", (r) => JSON.parse(r[4]));
run("meta", (r) => JSON.parse(r[5]));
run("recordedAt", (r) => new Date(r[8]).toISOString());
run("hex", (r) => r[7] && (r[7] as Buffer).toString("hex"));
run("bigint", (r) => BigInt(r[0]));
}
console.log(stmt.all(sid, 5, 1)[0]);
