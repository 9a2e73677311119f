// The benchmarks scripts/bench runs, in order: each one's command (full and quick sizes), how long it may
// take, and how its printed figures become table rows (measure, target, measured, met?). Every benchmark
// prints its own lines or JSON; the parsers here only read them, so a benchmark changing its wording shows
// up as "not found in the output" rather than a wrong number.

const TSX = ["node", "--import", "tsx", "--conditions=source"];
const TSX_GC = [...TSX, "--expose-gc"];

/** A row whose figure was not found in the output says so instead of inventing one. */
const NOT_FOUND = "not found in the output";

const integer = (text) => Number(String(text).replaceAll(",", ""));
const grouped = (value) => Math.round(value).toLocaleString("en-US");

/** "yes"/"no" for a measured number against a target; "—" when there is no target or no figure. */
const meets = (value, comparison, target) => {
  if (value === undefined || Number.isNaN(value)) return "—";
  const met = comparison === ">=" ? value >= target : comparison === "<=" ? value <= target : value < target;
  return met ? "yes" : "**no**";
};

const row = (measure, target, measured, met = "—") => ({ measure, target, measured, met });

/** The rows of one store and writer count: appends/s and append latency, against the target at 256 writers. */
const appendRows = (match) => {
  const [, kind, writers, , rate, p50, p99] = match;
  const store = kind === "pg" ? "PostgreSQL" : "SQLite";
  // The targets at 256 writers, SQLite's and PostgreSQL's, as docs/benchmarks.md states them.
  const target =
    writers !== "256" ? undefined : kind === "pg" ? { rate: 10_000, p99: 50 } : { rate: 20_000, p99: 20 };
  return [
    row(
      `${store}, ${writers} concurrent writers: appends/s`,
      target ? `≥ ${grouped(target.rate)}/s` : "—",
      grouped(integer(rate)),
      target ? meets(integer(rate), ">=", target.rate) : "—",
    ),
    row(
      `${store}, ${writers} concurrent writers: append latency p50 / p99`,
      target ? `p99 < ${target.p99} ms` : "—",
      `${p50} / ${p99} ms`,
      target ? meets(Number(p99), "<", target.p99) : "—",
    ),
  ];
};

const storeAppends = {
  id: "store-appends",
  area: "Event store (issue 3)",
  title:
    "Durable one-event appends, 1,000 cooperatives, SQLite (WAL, synchronous=FULL, group commit) and PostgreSQL (group commit, transaction-id positions), beside PostgreSQL's plain multi-row insert ceiling",
  command: (quick) => [...TSX, "scripts/benchStore.ts", "all", quick ? "2000" : "20000"],
  timeoutSeconds: { quick: 120, full: 420 },
  parse(output) {
    const rows = [];
    const pattern =
      /^(sqlite|pg)\d+\s+writers=\s*(\d+) appends=(\d+) (\d+) appends\/s p50=([\d.]+) ms p99=([\d.]+) ms/gm;
    for (const match of output.matchAll(pattern)) rows.push(...appendRows(match));
    const ceiling =
      /^pg-ceiling batch=(\d+) connections=(\d+) rows=(\d+) (\d+) rows\/s batch p50=([\d.]+) ms p99=([\d.]+) ms/m.exec(
        output,
      );
    if (ceiling) {
      const [, batch, connections, , rate, p50, p99] = ceiling;
      rows.push(
        row(
          `PostgreSQL ceiling, plain INSERTs of ${batch} rows from ${connections} connections: rows/s`,
          "—",
          grouped(integer(rate)),
        ),
        row(`PostgreSQL ceiling: latency of one ${batch}-row INSERT p50 / p99`, "—", `${p50} / ${p99} ms`),
      );
    }
    if (rows.length === 0) rows.push(row("appends/s", "≥ 20,000/s (SQLite, 256 writers)", NOT_FOUND));
    return rows;
  },
};

const replay = {
  id: "replay",
  area: "Event store (issue 3)",
  title: "Replay: read + decode + evolve stored events of one cooperative from SQLite into ledger state",
  command: (quick) => [...TSX, "services/cli/bench/replay.bench.ts", quick ? "20000" : "1000000"],
  timeoutSeconds: { quick: 180, full: 900 },
  parse(output) {
    const rows = [];
    const descriptions = {
      port: "through the EventStore port's read for folds (readStreamData: revision, type, data)",
      "port-full": "through readStream, every column decoded (what import and the command handler do)",
      rows: "better-sqlite3 rows, data decoded from its shape, evolve (bound of the stored format)",
      "parse-only": "rows and the decode, no evolve",
      "read-only": "rows only (SQLite alone)",
    };
    const pattern =
      /^(port-full|port|rows|parse-only|read-only)\s+(\d+) events in ([\d.]+)s = (\d+) events\/s, peak RSS (\d+) MB(?:, CPU ([\d.]+)s = (\d+) events per CPU-second)?/gm;
    for (const [, way, events, , rate, rss, cpuSeconds, cpuRate] of output.matchAll(pattern)) {
      const targeted = way === "port" || way === "rows";
      const cpu =
        cpuRate === undefined ? "" : ` (${grouped(integer(cpuRate))} per CPU-second, ${cpuSeconds} s of CPU)`;
      rows.push(
        row(
          `replay ${grouped(integer(events))} events, ${descriptions[way] ?? way}`,
          targeted ? "≥ 500,000 events/s, RSS < 1 GiB" : "—",
          `${grouped(integer(rate))} events/s${cpu}, peak RSS ${rss} MB`,
          targeted ? (integer(rate) >= 500_000 && integer(rss) < 1024 ? "yes" : "**no**") : "—",
        ),
      );
    }
    if (rows.length === 0) rows.push(row("replay events/s", "≥ 500,000 events/s, RSS < 1 GiB", NOT_FOUND));
    return rows;
  },
};

const projectionsInMemory = {
  id: "projections-memory",
  area: "Projections and reports (issue 4)",
  title:
    "Read models: rebuild from generated events in memory, trial balance as of a date, side by side with ledger-cli and hledger",
  command: (quick) => [
    ...TSX_GC,
    "packages/projections/bench/projections.bench.ts",
    quick ? "50000" : "1000000",
  ],
  timeoutSeconds: { quick: 180, full: 420 },
  parse(output) {
    const rows = [];
    const rebuild = /^rebuild: (\d+) events in (\d+) ms = (\d+) events\/s/m.exec(output);
    rows.push(
      rebuild
        ? row(
            `rebuild all read models, ${grouped(integer(rebuild[1]))} events (in memory, generation not timed)`,
            "≥ 200,000 events/s",
            `${grouped(integer(rebuild[3]))} events/s (${rebuild[2]} ms)`,
            meets(integer(rebuild[3]), ">=", 200_000),
          )
        : row("rebuild all read models", "≥ 200,000 events/s", NOT_FOUND),
    );
    const heap = /^rebuild: models' heap (.*)$/m.exec(output);
    if (heap) rows.push(row("memory after the rebuild", "—", heap[1]));
    const trial =
      /^trial balance \((\d+) entries, (\d+) random dates\): p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms/m.exec(
        output,
      );
    rows.push(
      trial
        ? row(
            `trial balance as of a random date, ${grouped(integer(trial[1]))} entries (${trial[2]} dates)`,
            "p99 < 20 ms",
            `p50 ${trial[3]} ms, p99 ${trial[4]} ms, max ${trial[5]} ms`,
            meets(Number(trial[4]), "<", 20),
          )
        : row("trial balance p99", "p99 < 20 ms", NOT_FOUND),
    );
    for (const [, label, milliseconds, ratio] of output.matchAll(
      /^ {2}(ledger balance|hledger balance|cold replay)\s+([\d.]+) ms\s+\(([\d.]+)× the read model\)/gm,
    )) {
      rows.push(
        row(
          `side by side, 100,000 entries: ${label}`,
          "ratio reported",
          `${milliseconds} ms (${ratio}× the read model)`,
        ),
      );
    }
    const readModel = /^ {2}read model\s+([\d.]+) ms/m.exec(output);
    if (readModel)
      rows.push(row("side by side: our trial balance from the read model", "—", `${readModel[1]} ms`));
    return rows;
  },
};

const projectionsSqlite = {
  id: "projections-sqlite",
  area: "Projections and reports (issue 4)",
  title: "Read models from a real SQLite event store: rebuild, start with and without a snapshot",
  command: (quick) => [
    ...TSX_GC,
    "packages/projections/bench/sqliteStore.bench.ts",
    quick ? "50000" : "1000000",
  ],
  timeoutSeconds: { quick: 240, full: 900 },
  parse(output) {
    const rows = [];
    const store = /^store: (\d+) events, file (.*)$/m.exec(output);
    const events = store ? grouped(integer(store[1])) : "?";
    // Older outputs of the replay bench print no CPU time; newer ones do.
    const cpu = (match) =>
      match?.[3] === undefined ? "" : `; ${match[4]} per CPU-second, ${match[3]} s of CPU`;
    const read =
      /^read only \(SQLite \+ JSON decode, pages of \d+\): (\d+) ms = ([\d,]+) events\/s(?:, CPU ([\d.]+) s = ([\d,]+) events per CPU-second)?/m.exec(
        output,
      );
    if (read)
      rows.push(
        row(`read only (readAll + JSON decode), ${events} events`, "—", `${read[2]} events/s${cpu(read)}`),
      );
    const rebuild =
      /^rebuild from the store \(read \+ decode \+ apply\): (\d+) ms = ([\d,]+) events\/s(?:, CPU ([\d.]+) s = ([\d,]+) events per CPU-second)?/m.exec(
        output,
      );
    rows.push(
      rebuild
        ? row(
            `rebuild all read models from the SQLite store, ${events} events`,
            "≥ 200,000 events/s",
            `${rebuild[2]} events/s (${rebuild[1]} ms${cpu(rebuild)})`,
            meets(integer(rebuild[2]), ">=", 200_000),
          )
        : row("rebuild from the store", "≥ 200,000 events/s", NOT_FOUND),
    );
    const heap = /^models' heap after rebuild: (.*)$/m.exec(output);
    if (heap) rows.push(row("memory after the rebuild", "—", heap[1]));
    const cold = /^start without a snapshot[^:]*: (\d+) ms \(rss ([^;]+);/m.exec(output);
    if (cold)
      rows.push(row("start without a snapshot (fresh process)", "—", `${cold[1]} ms, rss ${cold[2]}`));
    const save = /^snapshot save[^:]*: (.*)$/m.exec(output);
    if (save) rows.push(row("snapshot save", "—", save[1]));
    const warm = /^start with the snapshot[^:]*: (\d+) ms \(rss ([^;]+);/m.exec(output);
    if (warm) rows.push(row("start with the snapshot (fresh process)", "—", `${warm[1]} ms, rss ${warm[2]}`));
    return rows;
  },
};

const httpApi = {
  id: "http",
  area: "Ledger API over HTTP (issue 5)",
  title:
    "autocannon on loopback against `bukubesar serve` (SQLite in a temporary DATA_DIR, LOG_LEVEL=silent, in-process supervisor), 100 cooperatives",
  command: (quick) => [
    ...TSX,
    "services/ledger-api/bench/http.bench.ts",
    ...(quick ? ["3", "2", "16", "10"] : ["20", "10", "64", "100"]),
  ],
  timeoutSeconds: { quick: 120, full: 300 },
  parse(output) {
    const line = output.split("\n").find((text) => text.startsWith("BENCH_JSON "));
    if (line === undefined)
      return [row("posts and reads", "≥ 5,000 entries/s, p99 < 50 ms; ≥ 10,000 reads/s", NOT_FOUND)];
    const figures = JSON.parse(line.slice("BENCH_JSON ".length));
    const { posts, reads } = figures;
    const statuses = (map) =>
      Object.entries(map)
        .map(([status, count]) => `${status}: ${grouped(count)}`)
        .join(", ");
    return [
      row(
        `posts of 2-line entries, ${figures.connections} connections, distinct Idempotency-Keys (${posts.seconds.toFixed(0)} s)`,
        "≥ 5,000 entries/s",
        `${grouped(posts.perSecond)} entries/s (${grouped(posts.ok)} answered 201; ${statuses(figures.postStatuses)}; ${posts.errors} errors)`,
        meets(posts.perSecond, ">=", 5_000),
      ),
      row(
        "posts: entries/s per 5-second window",
        "—",
        (figures.postsPerWindow ?? []).map(grouped).join(", ") || "not reported",
      ),
      row(
        "post latency p50 / p90 / p99 / max",
        "p99 < 50 ms",
        `${posts.p50} / ${posts.p90} / ${posts.p99} / ${posts.max} ms`,
        meets(posts.p99, "<", 50),
      ),
      row(
        "trial balances afterwards hold every entry answered 201",
        "all",
        `${figures.cooperatives - figures.totalsMismatches} of ${figures.cooperatives}`,
        figures.totalsMismatches === 0 ? "yes" : "**no**",
      ),
      row(
        `trial-balance reads, ${figures.connections} connections (${reads.seconds.toFixed(0)} s)`,
        "≥ 10,000 reads/s",
        `${grouped(reads.perSecond)} reads/s (${statuses(figures.readStatuses)}; ${reads.errors} errors)`,
        meets(reads.perSecond, ">=", 10_000),
      ),
      row(
        "read latency p50 / p90 / p99 / max",
        "—",
        `${reads.p50} / ${reads.p90} / ${reads.p99} / ${reads.max} ms`,
      ),
    ];
  },
};

const sequentialPosts = {
  id: "sequential-posts",
  area: "Ledger API over HTTP (issue 5)",
  title:
    "Sequential posts to one cooperative through the command handler (no HTTP): does a write's cost grow with history?",
  command: (quick) => [
    ...TSX,
    "services/ledger-api/bench/sequentialPosts.bench.ts",
    quick ? "1000" : "10000",
  ],
  timeoutSeconds: { quick: 60, full: 180 },
  parse(output) {
    const total = /^(\d+) posts in ([\d.]+) s: (\d+) posts\/s/m.exec(output);
    const windows = [...output.matchAll(/^posts (\d+)-(\d+): ([\d.]+) ms\/post/gm)];
    const rows = [
      total
        ? row(
            `${grouped(integer(total[1]))} sequential posts, one cooperative`,
            "—",
            `${grouped(integer(total[3]))} posts/s`,
          )
        : row("sequential posts", "—", NOT_FOUND),
    ];
    if (windows.length > 1) {
      const first = windows[0];
      const last = windows.at(-1);
      rows.push(
        row(
          "ms per post, first and last window",
          "flat",
          `${first[3]} ms (posts ${first[1]}–${first[2]}) → ${last[3]} ms (posts ${last[1]}–${last[2]})`,
        ),
      );
    }
    return rows;
  },
};

const rules = {
  id: "rules",
  area: "Supervision (issue 6)",
  title: "All anomaly rules over a replayed history (500 cooperatives; generation not timed)",
  command: (quick) => [
    ...TSX,
    "packages/supervision/bench/rules.bench.ts",
    quick ? "50000" : "1000000",
    quick ? "50" : "500",
  ],
  timeoutSeconds: { quick: 120, full: 420 },
  parse(output) {
    const match =
      /^replayed (\d+) events of (\d+) cooperatives: rules ([\d.]+) s elapsed, (\d+) events\/s; ([\d.]+) s CPU, (\d+) events\/s of CPU/m.exec(
        output,
      );
    if (!match) return [row("rules throughput", "≥ 200,000 events/s", NOT_FOUND)];
    const rss = /^peak RSS (\S+ \S+)/m.exec(output);
    return [
      row(
        `rules on replay, ${grouped(integer(match[1]))} events`,
        "≥ 200,000 events/s",
        `${grouped(integer(match[4]))} events/s elapsed (${grouped(integer(match[6]))} events/s of CPU)${rss ? `, peak RSS ${rss[1]}` : ""}`,
        meets(integer(match[4]), ">=", 200_000),
      ),
    ];
  },
};

const alertLatency = {
  id: "alert-latency",
  area: "Supervision (issue 6)",
  title:
    "Alert latency from the append (the API's 201) to a NATS JetStream subscriber, under background load",
  command: (quick) => [
    ...TSX,
    "services/supervisor/bench/alertLatency.bench.ts",
    quick ? "3" : "20",
    quick ? "200" : "1000",
  ],
  timeoutSeconds: { quick: 90, full: 180 },
  parse(output) {
    const load = /^background load: (\d+) entries in ([\d.]+) s = (\d+) entries\/s/m.exec(output);
    const latency =
      /^alerts: (\d+) of (\d+) large-cash postings received; latency append → NATS subscriber: p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms/m.exec(
        output,
      );
    if (!latency) return [row("alert latency p99", "p99 < 100 ms", NOT_FOUND)];
    return [
      row(
        `alert latency p50 / p99 / max (${latency[1]} of ${latency[2]} alerts received; background ${load ? `${grouped(integer(load[3]))} entries/s` : "load not found"})`,
        "p99 < 100 ms under 1,000 entries/s",
        `${latency[3]} / ${latency[4]} / ${latency[5]} ms`,
        latency[1] === latency[2] ? meets(Number(latency[4]), "<", 100) : "**no**",
      ),
    ];
  },
};

const restartReplay = {
  id: "restart-replay",
  area: "Supervision (issue 6)",
  title:
    "Supervisor restart on the ledger log (in-memory store): the whole log replayed and from the rule-state snapshot, side by side",
  command: (quick) => [
    ...TSX_GC,
    "services/supervisor/bench/restartReplay.bench.ts",
    quick ? "50000" : "1000000",
    quick ? "1" : "3",
    quick ? "1000" : "10000",
  ],
  timeoutSeconds: { quick: 90, full: 420 },
  parse(output) {
    const match =
      /^best of \d+, (\d+) events: full replay ([\d.]+) s \(([\d.]+) s CPU, (\d+) events\/s\); from the snapshot ([\d.]+) s \(([\d.]+) s CPU\); with a (\d+)-event tail ([\d.]+) s \(([\d.]+) s CPU\)/m.exec(
        output,
      );
    if (!match) return [row("supervisor restart", "≤ 2 s (issue 14)", NOT_FOUND)];
    return [
      row(
        `supervisor restart, ${grouped(integer(match[1]))} events: from the rule-state snapshot (whole log replayed, same run)`,
        "≤ 2 s (issue 14)",
        `${match[5]} s, ${match[6]} s CPU (whole log: ${match[2]} s, ${match[3]} s CPU, ${grouped(integer(match[4]))} events/s); with a ${grouped(integer(match[7]))}-event tail ${match[8]} s`,
        meets(Number(match[5]), "<=", 2),
      ),
    ];
  },
};

const importVerify = {
  id: "import-verify",
  area: "Command line (issue 7)",
  title:
    "`bukubesar import` and `bukubesar verify` on SQLite (real commands under GNU time, start-up included)",
  command: (quick) => [...TSX, "services/cli/bench/import.bench.ts", quick ? "20000" : "1000000"],
  timeoutSeconds: { quick: 180, full: 900 },
  parse(output) {
    const rows = [];
    const imported =
      /^import (\d+) entries: ([\d.]+)s wall \((\d+) entries\/s including start-up; (\S+) entries\/s as the command reports\), peak RSS (\d+) MB/m.exec(
        output,
      );
    rows.push(
      imported
        ? row(
            `import ${grouped(integer(imported[1]))} entries`,
            "rate and peak memory reported",
            `${grouped(integer(imported[3]))} entries/s with start-up (${imported[4]} as the command reports), ${imported[2]} s, peak RSS ${imported[5]} MB`,
          )
        : row("import", "rate and peak memory reported", NOT_FOUND),
    );
    const verified = /^verify (\d+) entries: ([\d.]+)s wall \((\d+) entries\/s\), peak RSS (\d+) MB/m.exec(
      output,
    );
    rows.push(
      verified
        ? row(
            `verify ${grouped(integer(verified[1]))} entries`,
            "at least as fast as `ledger balance` on the same history",
            `${grouped(integer(verified[3]))} entries/s, ${verified[2]} s, peak RSS ${verified[4]} MB`,
            "not compared (the bench does not run `ledger balance` on this history)",
          )
        : row("verify", "at least as fast as `ledger balance` on the same history", NOT_FOUND),
    );
    return rows;
  },
};

const verifyVersusLedger = {
  id: "verify-vs-ledger",
  area: "Command line (issue 7)",
  title:
    "`bukubesar verify` side by side with `ledger balance` on the same history (import-bench's store kept, exported with `export --format ledger`)",
  command: (quick) => [
    "sh",
    "-c",
    // import-bench prints "kept DIR" with KEEP=1; the store is DIR/bukubesar.db, the cooperative kkmp-bench.
    // DIR is under this benchmark's TMPDIR, which the runner removes afterwards.
    `echo "entries: ${quick ? "20000" : "1000000"}"; KEEP=1 ${TSX.join(" ")} services/cli/bench/import.bench.ts ${quick ? "20000" : "1000000"} | tee /dev/stderr | ` +
      `sed -n 's/^kept //p' | { read -r directory && ${TSX.join(" ")} services/cli/bench/verifyVsLedger.bench.ts ` +
      `"sqlite:$directory/bukubesar.db" kkmp-bench ${quick ? "1" : "3"}; }`,
  ],
  timeoutSeconds: { quick: 240, full: 1800 },
  parse(output) {
    const best =
      /^best: ledger balance ([\d.]+)s, bukubesar verify ([\d.]+)s \(ratio ([\d.]+); peak RSS (\d+) MB vs ledger's (\d+) MB\)/m.exec(
        output,
      );
    if (!best) return [row("verify against ledger balance", "verify ≤ 0.5 × ledger balance", NOT_FOUND)];
    const entries = /^entries: (\d+)/m.exec(output);
    const [, ledgerSeconds, verifySeconds, ratio, verifyPeak, ledgerPeak] = best;
    return [
      row(
        `best of the rounds, ${entries ? grouped(integer(entries[1])) : "?"} entries: \`ledger balance\` / \`bukubesar verify\``,
        "verify ≤ 0.5 × ledger balance",
        `${ledgerSeconds} s / ${verifySeconds} s (ratio ${ratio})`,
        meets(Number(ratio), "<=", 0.5),
      ),
      row(
        "peak RSS of verify / of ledger balance",
        "verify ≤ ⅓ of ledger's",
        `${verifyPeak} MB / ${ledgerPeak} MB`,
        meets(Number(verifyPeak) * 3, "<=", Number(ledgerPeak)),
      ),
    ];
  },
};

const MEMORY_BENCH = [...TSX_GC, "services/ledger-api/bench/memoryBudget.bench.ts"];

const memoryBudget = {
  id: "memory-budget",
  area: "Memory budget and cold cooperatives (issue 14)",
  title:
    "`bukubesar serve` (the build) with MEMORY_BUDGET_MB=128 over 200 cooperatives × 500 two-line entries, each trial balance read once and checked",
  command: (quick) => [...MEMORY_BENCH, "memory", quick ? "20" : "200", "500", "128"],
  timeoutSeconds: { quick: 300, full: 1200 },
  parse(output) {
    const match =
      /^memory (\d+) cooperatives x (\d+) entries, MEMORY_BUDGET_MB=(\d+): start to \/health (\d+) ms \(server CPU ([\d.]+) s\); RSS after start (\d+) MB; every trial balance read once and right in (\d+) ms; RSS after (\d+) MB, peak RSS (\d+) MB \(load ([^)]*)\)/m.exec(
        output,
      );
    if (!match) return [row("service RSS within the budget", "≤ budget + 150 MB", NOT_FOUND)];
    const [, coops, entries, budget, , , afterStart, readMs, after, peak, load] = match;
    return [
      row(
        `service RSS, ${coops} cooperatives × ${entries} entries, MEMORY_BUDGET_MB=${budget}, each read once`,
        `≤ ${Number(budget) + 150} MB`,
        `${afterStart} MB after start, ${after} MB after the reads, peak ${peak} MB (reads ${grouped(integer(readMs))} ms; load ${load})`,
        meets(Number(peak), "<=", Number(budget) + 150),
      ),
    ];
  },
};

const coldCooperative = {
  id: "cold-cooperative",
  area: "Memory budget and cold cooperatives (issue 14)",
  title:
    "First request to a cooperative not in memory: two cooperatives, MEMORY_BUDGET_MB=1, so each trial-balance request loads its cooperative from its snapshot",
  command: (quick) => [...MEMORY_BENCH, "cold", quick ? "2000" : "12000", quick ? "40" : "200"],
  timeoutSeconds: { quick: 300, full: 900 },
  parse(output) {
    const match =
      /^cold (\d+) entries, (\d+) first requests[^:]*: p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms, server CPU ([\d.]+) ms per request; from the whole log \(no snapshot\) ([^(]*) ms \(load ([^)]*)\)/m.exec(
        output,
      );
    if (!match) return [row("first request to a cooperative not in memory", "p99 ≤ 50 ms", NOT_FOUND)];
    const [, entries, requests, p50, p99, max, cpu, fromLog, load] = match;
    return [
      row(
        `first request to a cooperative not in memory, ${grouped(integer(entries))} entries (${requests} requests)`,
        "p99 ≤ 50 ms",
        `p50 ${p50} ms, p99 ${p99} ms, max ${max} ms; server CPU ${cpu} ms per request (load ${load})`,
        meets(Number(p99), "<=", 50),
      ),
      row("the same without a snapshot (whole stream), first two loads", "—", `${fromLog} ms`),
    ];
  },
};

const serviceStart = {
  id: "service-start",
  area: "Memory budget and cold cooperatives (issue 14)",
  title: "Service start (the build): time to /health and /ready on an empty store and on one of N events",
  command: (quick) => [...MEMORY_BENCH, "start", quick ? "20000" : "1000000"],
  timeoutSeconds: { quick: 300, full: 2400 },
  parse(output) {
    const rows = [];
    const pattern =
      /^start (\d+) events \(head position \d+\), ([^:]*): \/health (\d+) ms, \/ready (\d+) ms, server CPU to \/health ([\d.]+) s, RSS (\d+) MB \(load ([^)]*)\)/gm;
    for (const [, events, label, health, ready, cpu, rss, load] of output.matchAll(pattern)) {
      rows.push(
        row(
          `start on ${grouped(integer(events))} events, ${label}`,
          "≤ 2 s, independent of history length",
          `/health ${grouped(integer(health))} ms (server CPU ${cpu} s), /ready ${grouped(integer(ready))} ms, RSS ${rss} MB (load ${load})`,
          meets(integer(health), "<=", 2000),
        ),
      );
    }
    if (rows.length === 0) rows.push(row("service start", "≤ 2 s", NOT_FOUND));
    return rows;
  },
};

const heldMemory = {
  id: "held-memory",
  area: "Memory budget and cold cooperatives (issue 14)",
  title: "Memory of one held cooperative per stored entry, and its snapshot (in process, after gc)",
  command: (quick) => [...MEMORY_BENCH, "held", quick ? "2000" : "12000"],
  timeoutSeconds: { quick: 180, full: 600 },
  parse(output) {
    const rows = [];
    const held =
      /^held (\d+) entries: (\d+) bytes of heap per entry \(([^)]*)\); snapshot (\d+) bytes per entry \(load ([^)]*)\)/m.exec(
        output,
      );
    rows.push(
      held
        ? row(
            `memory per stored entry while held, ${grouped(integer(held[1]))} entries`,
            "≤ 500 bytes",
            `${held[2]} bytes (${held[3]}); snapshot ${held[4]} bytes per entry (load ${held[5]})`,
            meets(integer(held[2]), "<=", 500),
          )
        : row("memory per stored entry while held", "≤ 500 bytes", NOT_FOUND),
    );
    const cpu = /^held (\d+) entries, CPU: (.*)$/m.exec(output);
    if (cpu)
      rows.push(row(`CPU of a load from the snapshot, ${grouped(integer(cpu[1]))} entries`, "—", cpu[2]));
    return rows;
  },
};

export const BENCHMARKS = [
  storeAppends,
  replay,
  projectionsInMemory,
  projectionsSqlite,
  httpApi,
  sequentialPosts,
  rules,
  alertLatency,
  restartReplay,
  importVerify,
  verifyVersusLedger,
  memoryBudget,
  coldCooperative,
  serviceStart,
  heldMemory,
];
