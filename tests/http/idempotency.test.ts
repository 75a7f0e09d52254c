import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeExpiredIdempotencyKeys } from "../../worker/http/idempotency";
import { httpJobs } from "../../worker/http/jobs";
import { CRON, runScheduled } from "../../worker/scheduled";
import { call, login, parsed } from "../support/api";

/** POST /api/me/referrer answers "bound" the first time and "unchanged" after, so a replay is visible. */
async function bindWithKey(token: string, inviteCode: string, key: string) {
  return parsed(call("/api/me/referrer", { token, json: { inviteCode }, headers: { "idempotency-key": key } }));
}

describe("Idempotency-Key", () => {
  it("answers a retry with the first response instead of running the request again", async () => {
    const host = await login("i-host");
    const m = await login("i-member");
    const first = await bindWithKey(m.token, host.member.inviteCode, "key-1");
    const retry = await bindWithKey(m.token, host.member.inviteCode, "key-1");
    expect(first.body.status).toBe("bound");
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const fresh = await bindWithKey(m.token, host.member.inviteCode, "key-2");
    expect(fresh.body.status).toBe("unchanged");
  });

  it("replays a conflict too: the answer to a key never changes", async () => {
    const a = await login("i-conflict-a");
    const b = await login("i-conflict-b");
    const m = await login("i-conflict-m", { inviteCode: a.member.inviteCode });
    const first = await bindWithKey(m.token, b.member.inviteCode, "conflict-key");
    const retry = await bindWithKey(m.token, b.member.inviteCode, "conflict-key");
    expect(first.status).toBe(409);
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuses the same key with a different body with 409 idempotency-key-reused", async () => {
    const a = await login("i-reuse-a");
    const b = await login("i-reuse-b");
    const m = await login("i-reuse-m");
    expect((await bindWithKey(m.token, a.member.inviteCode, "reused")).status).toBe(200);
    const res = await bindWithKey(m.token, b.member.inviteCode, "reused");
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("/problems/idempotency-key-reused");
  });

  it("scopes keys per caller", async () => {
    const host = await login("i-scope-host");
    const one = await login("i-scope-1");
    const two = await login("i-scope-2");
    await bindWithKey(one.token, host.member.inviteCode, "shared-key");
    const res = await bindWithKey(two.token, host.member.inviteCode, "shared-key");
    expect(res.status).toBe(200);
    expect(res.body.member.id).toBe(two.member.id);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
  });

  it("answers 409 while the first request with the key is still running", async () => {
    const host = await login("i-busy-host");
    const m = await login("i-busy");
    const body = JSON.stringify({ inviteCode: host.member.inviteCode });
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`POST /api/me/referrer\n${body}`));
    const fingerprint = [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, "0")).join("");
    await env.DB.prepare("INSERT INTO idempotency_keys (scope, key, fingerprint, state, locked_at, expires_at) VALUES (?, 'busy', ?, 'in_progress', ?, ?)")
      .bind(m.member.id, fingerprint, Date.now(), Date.now() + 60_000)
      .run();
    const res = await parsed(call("/api/me/referrer", { token: m.token, body, headers: { "content-type": "application/json", "idempotency-key": "busy" }, method: "POST" }));
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("/problems/idempotency-key-in-progress");
    expect((await parsed(call("/api/me", { token: m.token }))).body.referrer).toBeNull();
  });

  it("lets exactly one of many simultaneous requests with one key run", async () => {
    const host = await login("i-race-host");
    const m = await login("i-race");
    const results = await Promise.all(Array.from({ length: 10 }, () => bindWithKey(m.token, host.member.inviteCode, "race")));
    const ran = results.filter((r) => r.status === 200 && r.headers.get("idempotent-replayed") === null);
    expect(ran).toHaveLength(1);
    for (const r of results) expect([200, 409]).toContain(r.status);
  });

  it("does not keep a response to an invalid request, so the key can be used again", async () => {
    const host = await login("i-invalid-host");
    const m = await login("i-invalid");
    const bad = await parsed(call("/api/me/referrer", { token: m.token, json: { inviteCode: 1 }, headers: { "idempotency-key": "after-422" } }));
    expect(bad.status).toBe(422);
    const good = await bindWithKey(m.token, host.member.inviteCode, "after-422");
    expect(good.status).toBe(200);
    expect(good.body.status).toBe("bound");
  });

  it("forgets keys after 24 hours", async () => {
    const host = await login("i-expired-host");
    const m = await login("i-expired");
    await bindWithKey(m.token, host.member.inviteCode, "old-key");
    await env.DB.prepare("UPDATE idempotency_keys SET expires_at = ? WHERE scope = ? AND key = 'old-key'").bind(Date.now() - 1, m.member.id).run();
    const res = await bindWithKey(m.token, host.member.inviteCode, "old-key");
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(res.body.status).toBe("unchanged");
    const expires = await env.DB.prepare("SELECT expires_at FROM idempotency_keys WHERE scope = ? AND key = 'old-key'").bind(m.member.id).first<{ expires_at: number }>();
    expect(expires!.expires_at).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(await purgeExpiredIdempotencyKeys(env.DB, Date.now() + 25 * 3600_000)).toBeGreaterThan(0);
  });

  it("is ignored by login: no token is stored, and one caller's key never blocks or answers another's", async () => {
    const first = await parsed(call("/api/auth/wechat", { json: { code: "sandbox:i-login-a" }, headers: { "idempotency-key": "login-key" } }));
    const other = await parsed(call("/api/auth/wechat", { json: { code: "sandbox:i-login-b" }, headers: { "idempotency-key": "login-key" } }));
    const retry = await parsed(call("/api/auth/wechat", { json: { code: "sandbox:i-login-a" }, headers: { "idempotency-key": "login-key" } }));
    expect([first.status, other.status, retry.status]).toEqual([200, 200, 200]);
    expect(other.body.member.id).not.toBe(first.body.member.id);
    expect(retry.body.member.id).toBe(first.body.member.id);
    for (const r of [other, retry]) expect(r.headers.get("idempotent-replayed")).toBeNull();
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE key = 'login-key' OR response_body LIKE '%token%'").first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it("rejects a malformed key with 400", async () => {
    const m = await login("i-malformed");
    const res = await call("/api/me/referrer", { token: m.token, json: { inviteCode: "NOPE" }, headers: { "idempotency-key": "has space" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("deletes expired keys in the daily job and keeps live ones", async () => {
    const now = Date.now();
    const insert = env.DB.prepare("INSERT INTO idempotency_keys (scope, key, fingerprint, state, locked_at, expires_at) VALUES ('job', ?, 'f', 'done', 0, ?)");
    await env.DB.batch([insert.bind("expired", now - 1), insert.bind("live", now + 3600_000)]);
    const results = await runScheduled({ cron: CRON.daily, scheduledTime: now }, env, httpJobs);
    expect(results).toEqual([{ name: "purge-idempotency-keys", ok: true }]);
    const { results: left } = await env.DB.prepare("SELECT key FROM idempotency_keys WHERE scope = 'job'").all();
    expect(left).toEqual([{ key: "live" }]);
  });
});
