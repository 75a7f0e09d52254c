// node scripts/bench-members.mjs — member routes against the three baselines in the SAME run (DESIGN.md §7):
// the worker through Miniflare on a local port, autocannon from this process, one route at a time.
//   BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32). Not a test: it prints figures.
import autocannon from "autocannon";
import { startLocalWorker } from "./local-worker.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const worker = await startLocalWorker({ bindings: { BENCH_ROUTES: "1", LOG_LEVEL: "warn" } });
try {
  await worker.db.exec("CREATE TABLE IF NOT EXISTS bench_kv (id TEXT PRIMARY KEY, v INTEGER NOT NULL)");
  await worker.db.prepare("INSERT OR IGNORE INTO bench_kv (id, v) VALUES ('k1', 1)").run();
  const login = async (openid, extra = {}) =>
    (await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}`, ...extra }) })).json();
  const host = await login("bench-host");
  const member = await login("bench-member", { inviteCode: host.member.inviteCode });
  const auth = { authorization: `Bearer ${member.token}`, "content-type": "application/json" };

  const routes = [
    { name: "trivial", path: "/bench/trivial" },
    { name: "select (1 PK read)", path: "/bench/select" },
    { name: "insert (1 row)", method: "POST", path: "/bench/insert" },
    { name: "GET /api/me", path: "/api/me", headers: auth, baseline: "select (1 PK read)" },
    { name: "GET /api/me/invite", path: "/api/me/invite", headers: auth, baseline: "select (1 PK read)" },
    { name: "POST /api/me/referrer (unchanged)", method: "POST", path: "/api/me/referrer", headers: auth, body: JSON.stringify({ inviteCode: host.member.inviteCode }), baseline: "select (1 PK read)" },
    { name: "POST /api/auth/wechat (returning)", method: "POST", path: "/api/auth/wechat", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:bench-member" }), baseline: "insert (1 row)" },
  ];
  const results = {};
  for (const r of routes) {
    const opts = { url: worker.url + r.path, method: r.method ?? "GET", headers: r.headers, body: r.body, connections: CONNECTIONS };
    await autocannon({ ...opts, duration: 1 }); // warm-up
    const out = await autocannon({ ...opts, duration: SECONDS });
    results[r.name] = out.requests.average;
    const bad = out.non2xx + out.errors + out.timeouts;
    const ratio = r.baseline ? `  ${(out.requests.average / results[r.baseline]).toFixed(2)} × ${r.baseline}` : "";
    console.log(`${r.name.padEnd(36)} ${out.requests.average.toFixed(0).padStart(6)} req/s  p50 ${out.latency.p50} ms  p99 ${out.latency.p99} ms${ratio}${bad ? `  (${bad} failed)` : ""}`);
  }
} finally {
  await worker.dispose();
}
