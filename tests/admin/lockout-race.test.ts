import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attemptLogin, MAX_FAILED_ATTEMPTS } from "../../worker/console/login";
import { auditRows, code, PASSWORD, seedAdmin } from "./support";

const sessions = async (adminId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM admin_sessions WHERE admin_id = ?").bind(adminId).first<{ n: number }>())!.n;

// A guesser does not wait for one answer before sending the next guess: the lockout must count attempts
// as they arrive, not as their password checks finish.
describe("the console lockout under parallel attempts", () => {
  it("gives no session to 41 simultaneous logins (40 wrong, 1 right) and the lock holds", async () => {
    const id = await seedAdmin("oscar");
    const now = Date.now();
    const wrong = Array.from({ length: 40 }, (_, i) => attemptLogin(env.DB, { username: "oscar", password: `guess-${i}`, code: code(now) }, { now }));
    const right = attemptLogin(env.DB, { username: "oscar", password: PASSWORD, code: code(now) }, { now });
    const results = await Promise.all([...wrong, right]);

    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(await sessions(id)).toBe(0);
    // At most the allowed number of passwords was ever checked; every other attempt was refused as locked.
    expect(results.filter((r) => !r.ok && r.reason === "password").length).toBeLessThanOrEqual(MAX_FAILED_ATTEMPTS);
    const row = await env.DB.prepare("SELECT locked_until FROM admin_users WHERE id = ?").bind(id).first<{ locked_until: number | null }>();
    expect(row!.locked_until).toBeGreaterThan(now);
    expect((await auditRows("admin.locked_out")).filter((r) => r.actor_id === id)).toHaveLength(1);

    const later = now + 60_000;
    expect(await attemptLogin(env.DB, { username: "oscar", password: PASSWORD, code: code(later) }, { now: later })).toEqual({ ok: false, reason: "locked" });
    expect(await sessions(id)).toBe(0);
  });

  it("checks no password once the allowed attempts are in flight", async () => {
    const id = await seedAdmin("olga");
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 3 * MAX_FAILED_ATTEMPTS }, (_, i) => attemptLogin(env.DB, { username: "olga", password: `guess-${i}`, code: "000000" }, { now })),
    );
    expect(results.filter((r) => !r.ok && r.reason === "password").length).toBeLessThanOrEqual(MAX_FAILED_ATTEMPTS);
    expect(results.filter((r) => !r.ok && r.reason === "locked").length).toBeGreaterThanOrEqual(2 * MAX_FAILED_ATTEMPTS);
    expect((await auditRows("admin.login_failed")).filter((r) => r.actor_id === id)).toHaveLength(3 * MAX_FAILED_ATTEMPTS);
  });
});
