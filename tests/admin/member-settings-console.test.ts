import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, mintMember } from "../support/api";
import { auditRows, fetchWorker, loginSession, ORIGIN, seedAdmin, seedMember } from "./support";

type Session = Awaited<ReturnType<typeof loginSession>>;

function post(s: Session, path: string, fields: Record<string, string>) {
  const body = new URLSearchParams({ ...fields, _csrf: s.csrf });
  return fetchWorker(path, { method: "POST", headers: { cookie: s.cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" }, body });
}

const memberRow = (id: string) => env.DB.prepare("SELECT tier, blocked_at, blocked_reason FROM members WHERE id = ?").bind(id).first<{ tier: string; blocked_at: number | null; blocked_reason: string | null }>();

describe("member page: tier and blocking", () => {
  it("changes a tier, blocks and unblocks from the member page, audited under the console user", async () => {
    await seedAdmin("vera");
    const s = await loginSession("vera");
    const id = await seedMember({ nickname: "小周", tier: "promoter" });
    const token = (await mintMember({ id: id, tier: "promoter" })).token;

    const page = await (await fetchWorker(`/admin/members/${id}`, { headers: { cookie: s.cookie } })).text();
    expect(page).toContain('data-testid="tier-form"');
    expect(page).toContain('data-testid="block-form"');

    expect((await post(s, `/admin/members/${id}/tier`, { tier: "channel_partner", reason: "申请通过" })).status).toBe(303);
    expect((await memberRow(id))!.tier).toBe("channel_partner");

    const refused = await post(s, `/admin/members/${id}/block`, { reason: "刷单" });
    expect(refused.status).toBe(422);
    expect((await memberRow(id))!.blocked_at).toBeNull();

    const blocked = await post(s, `/admin/members/${id}/block`, { reason: "刷单", confirm: "yes" });
    expect(blocked.status).toBe(303);
    expect((await memberRow(id))!.blocked_reason).toBe("刷单");
    expect((await call("/api/me", { token })).status).toBe(403);
    const after = await (await fetchWorker(`/admin/members/${id}?done=blocked`, { headers: { cookie: s.cookie } })).text();
    expect(after).toContain("已停用");
    expect(after).toContain('data-testid="unblock-form"');

    expect((await post(s, `/admin/members/${id}/unblock`, {})).status).toBe(303);
    expect((await call("/api/me", { token })).status).toBe(200);

    const actions = (await auditRows()).filter((r) => r.target_id === id).map((r) => [r.action, r.actor_id]);
    expect(actions).toEqual([
      ["member.tier_changed", "adm_vera"],
      ["member.blocked", "adm_vera"],
      ["member.unblocked", "adm_vera"],
    ]);
  });
});

describe("系统设置", () => {
  it("shows every setting with its label and saves all of them or none", async () => {
    await seedAdmin("wang");
    const s = await loginSession("wang");
    const page = await (await fetchWorker("/admin/settings", { headers: { cookie: s.cookie } })).text();
    expect(page).toContain("系统设置");
    expect(page).toContain("客户关系保护期（天）");
    expect(page).toContain("可学全部课程的会员等级");

    const bad = await post(s, "/admin/settings", { "referral.protectionDays": "15", "courses.allAccessTiers": '["emperor"]' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("没有保存任何设置");
    const notJson = await post(s, "/admin/settings", { "referral.protectionDays": "15", "courses.allAccessTiers": "[shareholder" });
    expect(notJson.status).toBe(422);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM settings").first<{ n: number }>()).toEqual({ n: 0 });

    const ok = await post(s, "/admin/settings", { "referral.protectionDays": "15", "courses.allAccessTiers": '["shareholder"]' });
    expect(ok.status).toBe(303);
    expect(await env.DB.prepare("SELECT key, value FROM settings").all().then((r) => r.results)).toEqual([{ key: "referral.protectionDays", value: "15" }]);
    const audit = (await auditRows("setting.changed")).map((r) => [r.target_id, r.actor_id, JSON.parse(String(r.after))]);
    expect(audit).toEqual([["referral.protectionDays", "adm_wang", { value: 15 }]]);
  });
});
