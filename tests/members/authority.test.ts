import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedCourse, storeMedia } from "../courses/support";
import { call, login, mintMember, parsed } from "../support/api";

const auditCount = async (action: string, targetId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = ? AND target_id = ?").bind(action, targetId).first<{ n: number }>())!.n;

const post = (path: string, token: string, body: unknown) => parsed(call(path, { token, json: body }));

describe("authority is read from D1 on every request, not from the token", () => {
  it("refuses the very next admin request of an admin whose role was revoked", async () => {
    const boss = (await mintMember({ id: "auth-boss", roles: ["admin"] })).token;
    const former = (await mintMember({ id: "auth-former", roles: ["admin"] })).token;
    expect((await parsed(call("/api/admin/audit-log", { token: former }))).status).toBe(200);

    const revoked = await post("/api/admin/members/auth-former/roles", boss, { role: "admin", action: "revoke" });
    expect(revoked.status).toBe(200);

    const next = await parsed(call("/api/admin/audit-log", { token: former }));
    expect(next.status).toBe(403);
    expect((await post("/api/admin/members/auth-boss/tier", former, { tier: "shareholder", reason: "自己升级" })).status).toBe(403);
  });

  it("refuses the next all-access lesson to a shareholder downgraded by an admin", async () => {
    const admin = (await mintMember({ id: "auth-admin-1", roles: ["admin"] })).token;
    const holder = (await mintMember({ id: "auth-holder", tier: "shareholder" })).token;
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }, {}] });
    await storeMedia(lessonIds[1], "paid-bytes");
    expect((await parsed(call(`/api/lessons/${lessonIds[1]}/media`, { token: holder }))).status).toBe(200);

    const changed = await post("/api/admin/members/auth-holder/tier", admin, { tier: "channel_partner", reason: "股份已转让" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ tier: "channel_partner", changed: true });

    const next = await parsed(call(`/api/lessons/${lessonIds[1]}/media`, { token: holder }));
    expect(next.status).toBe(403);
    const row = await env.DB.prepare("SELECT before, after FROM audit_log WHERE action = 'member.tier_changed' AND target_id = 'auth-holder'").first<{ before: string; after: string }>();
    expect(JSON.parse(row!.before)).toEqual({ tier: "shareholder" });
    expect(JSON.parse(row!.after)).toEqual({ tier: "channel_partner", reason: "股份已转让" });
  });

  it("refuses a token whose member no longer exists (401)", async () => {
    const token = (await mintMember({ id: "auth-gone" })).token;
    await env.DB.prepare("DELETE FROM members WHERE id = 'auth-gone'").run();
    expect((await parsed(call("/api/me", { token }))).status).toBe(401);
    expect((await parsed(call("/api/orders", { token }))).status).toBe(401);
  });
});

describe("blocking a member", () => {
  it("refuses a blocked member's login and every member route, in Chinese, until unblocked", async () => {
    const admin = (await mintMember({ id: "auth-admin-2", roles: ["admin"] })).token;
    const { token, member } = await login("auth-blocked");
    const { courseId, lessonIds } = await seedCourse({ priceFen: 9900 });

    const blocked = await post(`/api/admin/members/${member.id}/block`, admin, { reason: "违规发布广告" });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ blocked: true, blockedReason: "违规发布广告", changed: true });
    expect(await auditCount("member.blocked", member.id)).toBe(1);

    const me = await parsed(call("/api/me", { token }));
    expect(me.status).toBe(403);
    expect(me.headers.get("content-type")).toContain("application/problem+json");
    expect(me.body).toMatchObject({ type: "/problems/member-blocked", title: "账号已停用" });
    expect(me.body.detail).toMatch(/停用/);
    const refused = [
      await parsed(call("/api/me/invite", { token })),
      await parsed(call("/api/me", { token, method: "PATCH", json: { nickname: "改名" } })),
      await parsed(call("/api/me/courses", { token })),
      await parsed(call(`/api/courses/${courseId}`, { token })),
      await parsed(call(`/api/lessons/${lessonIds[0]}/media`, { token })),
      await parsed(call(`/api/lessons/${lessonIds[0]}/progress`, { token, json: { positionSec: 5 } })),
      await parsed(call("/api/orders", { token })),
      await parsed(call("/api/orders/O-nope", { token })),
      await parsed(call("/api/orders", { token, json: { courseId } })),
      await parsed(call("/api/me/referrer", { token, json: { inviteCode: "ABCDEFGH" } })),
      await parsed(call("/api/auth/wechat", { json: { code: "sandbox:auth-blocked" } })),
    ];
    expect(refused.map((r) => [r.status, r.body?.type])).toEqual(refused.map(() => [403, "/problems/member-blocked"]));
    const nick = await env.DB.prepare("SELECT nickname FROM members WHERE id = ?").bind(member.id).first<{ nickname: string }>();
    expect(nick!.nickname).toBe("");
    const orders = await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE member_id = ?").bind(member.id).first<{ n: number }>();
    expect(orders!.n).toBe(0);
    // Anonymous browsing is unaffected.
    expect((await parsed(call(`/api/courses/${courseId}`))).status).toBe(200);

    const unblocked = await post(`/api/admin/members/${member.id}/unblock`, admin, { reason: "申诉通过" });
    expect(unblocked.body).toMatchObject({ blocked: false, changed: true });
    expect(await auditCount("member.unblocked", member.id)).toBe(1);
    expect((await parsed(call("/api/me", { token }))).status).toBe(200);
    expect((await login("auth-blocked")).member.id).toBe(member.id);
  });

  it("does not replay a stored response to a member blocked since", async () => {
    const admin = (await mintMember({ id: "auth-admin-5", roles: ["admin"] })).token;
    const { token, member } = await login("auth-replay");
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }] });
    const progress = () => parsed(call(`/api/lessons/${lessonIds[0]}/progress`, { token, json: { positionSec: 5 }, headers: { "idempotency-key": "replay-1" } }));
    expect((await progress()).status).toBe(200);
    await post(`/api/admin/members/${member.id}/block`, admin, { reason: "盗号" });
    const replay = await progress();
    expect(replay.status).toBe(403);
    expect(replay.body.type).toBe("/problems/member-blocked");
  });

  it("blocks once: a second block changes nothing and records nothing", async () => {
    const admin = (await mintMember({ id: "auth-admin-3", roles: ["admin"] })).token;
    (await mintMember({ id: "auth-twice" })).token;
    await post("/api/admin/members/auth-twice/block", admin, { reason: "刷单" });
    const again = await post("/api/admin/members/auth-twice/block", admin, { reason: "刷单" });
    expect(again.body).toMatchObject({ blocked: true, changed: false, blockedReason: "刷单" });
    expect(await auditCount("member.blocked", "auth-twice")).toBe(1);
  });

  it("refuses bad input, unknown members, non-admins and self-blocking, writing nothing", async () => {
    const admin = (await mintMember({ id: "auth-admin-4", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "auth-target", tier: "promoter" })).token;
    expect((await post("/api/admin/members/auth-target/block", admin, {})).status).toBe(422);
    expect((await post("/api/admin/members/auth-target/block", admin, { reason: "  " })).status).toBe(422);
    expect((await post("/api/admin/members/auth-target/tier", admin, { tier: "king", reason: "x" })).status).toBe(422);
    expect((await post("/api/admin/members/auth-target/tier", admin, { tier: "member" })).status).toBe(422);
    expect((await post("/api/admin/members/nobody/block", admin, { reason: "x" })).status).toBe(404);
    expect((await post("/api/admin/members/auth-target/block", member, { reason: "x" })).status).toBe(403);
    expect((await post("/api/admin/members/auth-admin-4/block", admin, { reason: "x" })).status).toBe(409);
    const row = await env.DB.prepare("SELECT tier, blocked_at FROM members WHERE id = 'auth-target'").first();
    expect(row).toEqual({ tier: "promoter", blocked_at: null });
    expect(await auditCount("member.blocked", "auth-target")).toBe(0);
    expect(await auditCount("member.tier_changed", "auth-target")).toBe(0);
  });
});
