import Database from "better-sqlite3";
const db = new Database(process.argv[2]!, { readonly: true });
const sid = (db.prepare("SELECT stream_id FROM streams WHERE name = 'ledger-kkmp-replay-bench'").get() as any).stream_id;
const variants: Record<string, string> = {
  blobs: "e.position, e.revision, e.event_id, e.type, e.data, e.metadata, e.prev_hash, e.hash, e.recorded_at",
  hexsql: "e.position, e.revision, lower(hex(e.event_id)), e.type, e.data, e.metadata, lower(hex(e.prev_hash)), lower(hex(e.hash)), e.recorded_at",
  nohash: "e.position, e.revision, e.event_id, e.type, e.data, e.metadata, e.recorded_at",
  typedata: "e.type, e.data",
};
for (let r = 0; r < 3; r++) for (const [name, cols] of Object.entries(variants)) {
  const stmt = db.prepare(`SELECT ${cols} FROM events e WHERE e.stream_id = ? AND e.revision >= ? ORDER BY e.revision LIMIT ?`).raw();
  const cpu = process.cpuUsage(); let n = 0, from = 0;
  for (;;) { const rows = stmt.all(sid, from, 5000) as any[]; n += rows.length; if (rows.length < 5000) break; from = from + 5000; }
  const c = process.cpuUsage(cpu); console.log(name.padEnd(9), Math.round(n / ((c.user + c.system) / 1e6)), "rows per CPU-s");
}
