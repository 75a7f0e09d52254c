import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, mintMember, parsed } from "../support/api";
import { paidOrder, seedCourse } from "../orders/support";
import { chain, checkLedgerAfterEach, refundOrder, settleAfter } from "./support";

checkLedgerAfterEach();

const nick = (id: string, nickname: string) => env.DB.prepare("UPDATE members SET nickname = ? WHERE id = ?").bind(nickname, id).run();

describe("partner center", () => {
  it("shows earnings from balances, commission records with masked buyers, and a daily series", async () => {
    const [buyer, l1] = await chain([["pc-buyer", "member"], ["pc-l1", "promoter"]]);
    await nick("pc-buyer", "张三丰");
    await seedCourse("c-pc1", 10000);
    await seedCourse("c-pc2", 5000);
    const first = await paidOrder(buyer, "c-pc1");
    await settleAfter(8);
    await paidOrder(buyer, "c-pc2");
    await refundOrder(first.orderId, 2000); // after the window: 200 clawed back from available

    expect(await parsed(call("/api/partner/earnings", { token: l1 }))).toMatchObject({
      status: 200, body: { frozenFen: 500, availableFen: 800, inFlightFen: 0, withdrawnFen: 0, debtFen: 0, lifetimeFen: 1300 },
    });
    const page1 = await parsed(call("/api/partner/commissions?limit=1", { token: l1 }));
    expect(page1.body.items).toEqual([expect.objectContaining({ title: "课程 c-pc2", buyerNickname: "张**", level: 1, rateBps: 1000, amountFen: 500, status: "frozen" })]);
    const page2 = await parsed(call(`/api/partner/commissions?limit=1&cursor=${page1.body.nextCursor}`, { token: l1 }));
    expect(page2.body).toMatchObject({ items: [{ amountFen: 1000, keptFen: 800, status: "available" }], nextCursor: null });

    const daily = await parsed(call("/api/partner/earnings/daily?days=30", { token: l1 }));
    expect(daily.body.days).toHaveLength(30);
    expect(daily.body.days.at(-1).earnedFen).toBe(1300);
  });

  it("lists the team at two levels without amounts; another partner sees none of it", async () => {
    const [, , , top] = await chain([["tm-c", "member"], ["tm-b", "member"], ["tm-a", "promoter"], ["tm-top", "channel_partner"]]);
    await seedCourse("c-tm", 1000);
    await paidOrder((await mintMember({ id: "tm-b" })).token, "c-tm");
    const l1 = await parsed(call("/api/partner/team?level=1", { token: top }));
    expect(l1.body.items).toEqual([expect.objectContaining({ nickname: "微信用户", hasBought: false })]);
    const l2 = await parsed(call("/api/partner/team?level=2", { token: top }));
    expect(l2.body.items).toEqual([{ nickname: "微信用户", avatarUrl: "", joinedAt: expect.any(String), hasBought: true }]);
    const other = (await mintMember({ id: "tm-other", tier: "promoter" })).token;
    expect((await parsed(call("/api/partner/team?level=2", { token: other }))).body.items).toEqual([]);
    expect((await parsed(call("/api/partner/earnings", { token: other }))).body).toMatchObject({ frozenFen: 0, lifetimeFen: 0 });
    const member = (await mintMember({ id: "tm-plain" })).token;
    expect((await call("/api/partner/earnings", { token: member })).status).toBe(403);
  });

  it("a member applies; an admin approves and the member is a promoter at once, with its tier history", async () => {
    const member = (await mintMember({ id: "ap-member" })).token;
    const admin = (await mintMember({ id: "ap-admin", roles: ["admin"] })).token;
    const applied = await parsed(call("/api/partner/application", { token: member, method: "POST", json: { note: "我想推广" } }));
    expect(applied).toMatchObject({ status: 201, body: { status: "pending", note: "我想推广" } });
    expect((await call("/api/partner/application", { token: member, method: "POST", json: {} })).status).toBe(409);
    expect((await call("/api/partner/earnings", { token: member })).status).toBe(403);

    const queue = await parsed(call("/api/admin/partner-applications", { token: admin }));
    expect(queue.body.items.map((a: { memberId: string }) => a.memberId)).toContain("ap-member");
    const approved = await parsed(call(`/api/admin/partner-applications/${applied.body.id}/approve`, { token: admin, method: "POST", json: { reason: "资料齐全" } }));
    expect(approved.body).toMatchObject({ status: "approved", decisionReason: "资料齐全" });
    expect((await call(`/api/admin/partner-applications/${applied.body.id}/reject`, { token: admin, method: "POST", json: { reason: "重复" } })).status).toBe(409);
    expect((await call("/api/partner/earnings", { token: member })).status).toBe(200);
    const history = await env.DB.prepare("SELECT from_tier, to_tier, source, reason, actor_id FROM tier_changes WHERE member_id = 'ap-member'").all();
    expect(history.results).toEqual([{ from_tier: "member", to_tier: "promoter", source: "application", reason: "资料齐全", actor_id: "ap-admin" }]);
  });

  it("a rejected application leaves the tier; an admin's direct change is a tier-history row too", async () => {
    const member = (await mintMember({ id: "rj-member" })).token;
    const admin = (await mintMember({ id: "rj-admin", roles: ["admin"] })).token;
    const applied = await parsed(call("/api/partner/application", { token: member, method: "POST", json: {} }));
    expect((await parsed(call(`/api/admin/partner-applications/${applied.body.id}/reject`, { token: admin, method: "POST", json: { reason: "暂不符合条件" } }))).body)
      .toMatchObject({ status: "rejected", decisionReason: "暂不符合条件" });
    expect(await env.DB.prepare("SELECT tier FROM members WHERE id = 'rj-member'").first("tier")).toBe("member");
    expect((await call("/api/admin/members/rj-member/tier", { token: admin, method: "POST", json: { tier: "channel_partner", reason: "线下签约" } })).status).toBe(200);
    const history = await env.DB.prepare("SELECT from_tier, to_tier, source, reason FROM tier_changes WHERE member_id = 'rj-member'").all();
    expect(history.results).toEqual([{ from_tier: "member", to_tier: "channel_partner", source: "admin", reason: "线下签约" }]);
  });

  it("serves the invite poster as a PNG made once by WeChat and kept in R2", async () => {
    const partner = (await mintMember({ id: "ps-partner", tier: "promoter" })).token;
    const first = await call("/api/partner/poster", { token: partner });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await first.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const row = await env.DB.prepare("SELECT object_key FROM invite_posters WHERE member_id = 'ps-partner'").first<{ object_key: string }>();
    expect(await env.MEDIA.head(row!.object_key)).not.toBeNull();
    const again = new Uint8Array(await (await call("/api/partner/poster", { token: partner })).arrayBuffer());
    expect(again).toEqual(bytes);
  });
});
