// Accepted bids per second on one hot lot and on 20 lots at once (issue 13's goal: ≥ 500/s on one lot here).
// Part of `npm run bench`; `npm run bench -- --auctions` runs only this. Bids go through the real route
// (JWT, zod, the lot's Durable Object); "accepted" counts the bids the lots' histories grew by, so a bid refused
// because a concurrent one overtook it in flight is not counted.
import autocannon from "autocannon";

const BIDDERS = 50;

/** Logs in through the WeChat sandbox (`extra`: an inviteCode, say); answers `{ token, member }`. */
export async function login(worker, openid, extra = {}) {
  const res = await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}`, ...extra }) });
  if (!res.ok) throw new Error(`login ${openid}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function createLots(worker, adminToken, n) {
  const now = Date.now();
  const ids = [];
  for (let i = 0; i < n; i++) {
    const res = await worker.fetch("/api/admin/lots", {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        title: `压测拍品 ${i + 1}`,
        startPriceFen: 100,
        // A one-fen step, so any higher amount is a valid bid: the bench measures judging, not the ladder.
        incrementLadder: [{ belowFen: null, stepFen: 1 }],
        startsAt: new Date(now - 1000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      }),
    });
    if (res.status !== 201) throw new Error(`create lot: ${res.status} ${await res.text()}`);
    ids.push((await res.json()).id);
  }
  return ids;
}

async function bidCount(worker, lotId) {
  return (await (await worker.fetch(`/api/lots/${lotId}`)).json()).bidCount;
}

/** Loads the bid route on `lotIds`, each request a higher amount on its lot from the next bidder in turn. */
async function run(worker, tokens, lotIds, seconds, connections) {
  const before = await Promise.all(lotIds.map((id) => bidCount(worker, id)));
  let counter = 0;
  const out = await autocannon({
    url: worker.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          const n = counter++;
          const lotId = lotIds[n % lotIds.length];
          return {
            ...req,
            path: `/api/lots/${lotId}/bids`,
            headers: { authorization: `Bearer ${tokens[n % tokens.length]}`, "content-type": "application/json" },
            body: JSON.stringify({ amountFen: 1_000 + n * 10 }),
          };
        },
      },
    ],
  });
  const after = await Promise.all(lotIds.map((id) => bidCount(worker, id)));
  const accepted = after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0);
  return { judged: out.requests.total / seconds, accepted: accepted / seconds, errors: out.errors + out.timeouts, p99: out.latency.p99, bad5xx: out["5xx"] ?? 0 };
}

export async function benchAuctions(worker, { seconds = 5, connections = 32 } = {}) {
  const adminOpenid = "bench-auction-admin";
  await login(worker, adminOpenid);
  await worker.db.prepare(`UPDATE members SET roles = '["admin"]' WHERE openid = ?`).bind(adminOpenid).run();
  const adminToken = (await login(worker, adminOpenid)).token;
  const tokens = [];
  for (let i = 0; i < BIDDERS; i++) tokens.push((await login(worker, `bench-bidder-${i}`)).token);

  const [hot] = await createLots(worker, adminToken, 1);
  const many = await createLots(worker, adminToken, 20);
  await run(worker, tokens, [hot], 1, connections); // warm-up
  // The trivial route in the same run: on a shared machine the ratio says more than the absolute figure.
  const trivial = (await autocannon({ url: `${worker.url}/health`, connections, duration: seconds })).requests.average;
  const one = await run(worker, tokens, [hot], seconds, connections);
  const twenty = await run(worker, tokens, many, seconds, connections);
  console.log(`\nauctions: POST /api/lots/:id/bids, ${connections} connections, ${seconds} s, ${BIDDERS} bidders; trivial GET /health ${trivial.toFixed(0)} req/s in the same run`);
  for (const [name, r] of [["one hot lot", one], ["20 lots at once", twenty]]) {
    console.log(
      `${name.padEnd(18)} ${r.accepted.toFixed(0).padStart(6)} accepted bids/s  (${r.judged.toFixed(0)} bids judged/s = ${(r.judged / trivial).toFixed(2)} × trivial, p99 ${r.p99} ms${r.errors ? `, ${r.errors} errors` : ""}${r.bad5xx ? `, ${r.bad5xx} 5xx` : ""})`,
    );
  }
  return { one, twenty };
}
