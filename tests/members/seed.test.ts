import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedStatements } from "../../schema/seed.mjs";
import { verifyToken } from "../../worker/http/auth";
import { call, login, parsed } from "../support/api";

const TABLES = ["members", "referral_bindings", "settings", "courses", "chapters", "lessons"];

async function seed() {
  await env.DB.batch(seedStatements().map((s) => env.DB.prepare(s)));
}

async function dump() {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()).results;
  return out;
}

describe("the demo seed", () => {
  it("gives the same data when run twice", async () => {
    await seed();
    const once = await dump();
    await seed();
    expect(await dump()).toEqual(once);
    expect(once.members).toHaveLength(4);
  });

  it("takes over a demo openid that logged in before the seed, keeping the id its login gave it", async () => {
    await env.DB.batch([env.DB.prepare("DELETE FROM referral_bindings"), env.DB.prepare("DELETE FROM members")]);
    const early = await login("demo-admin");
    const earlyPromoter = await login("demo-promoter");
    await seed();
    await seed();
    const rows = (await env.DB.prepare("SELECT id, roles, invite_code FROM members WHERE openid = 'demo-admin'").all()).results;
    expect(rows).toEqual([{ id: early.member.id, roles: '["admin"]', invite_code: "ADMN2345" }]);
    const { member } = await login("demo-admin");
    expect(member).toMatchObject({ id: early.member.id, roles: ["admin"] });
    const demoMember = await login("demo-member");
    expect(demoMember.member.referrer.id).toBe(earlyPromoter.member.id);
    const promoter = await login("demo-promoter");
    expect(promoter.member).toMatchObject({ id: earlyPromoter.member.id, tier: "promoter", referrer: { id: "mem-demo-partner" } });
    const bindings = (await env.DB.prepare("SELECT member_id, referrer_id FROM referral_bindings WHERE source = 'seed' ORDER BY id").all()).results;
    expect(bindings).toEqual([
      { member_id: "mem-demo-member", referrer_id: earlyPromoter.member.id },
      { member_id: earlyPromoter.member.id, referrer_id: "mem-demo-partner" },
    ]);
  });

  it("makes demo-admin an admin who can log in through the sandbox", async () => {
    await seed();
    const { token, member } = await login("demo-admin");
    expect(member.roles).toEqual(["admin"]);
    // The token proves identity only; the admin role is read from D1 on the request.
    expect((await verifyToken(env, token)).memberId).toBe(member.id);
    expect((await call("/api/admin/audit-log", { token })).status).toBe(200);
  });

  it("chains demo-member → demo-promoter → demo-partner", async () => {
    await seed();
    const member = await login("demo-member");
    const promoter = await login("demo-promoter");
    const partner = await login("demo-partner");
    expect(member.member.referrer.id).toBe(promoter.member.id);
    expect(promoter.member).toMatchObject({ tier: "promoter", referrer: { id: partner.member.id } });
    expect(partner.member).toMatchObject({ tier: "channel_partner", referrer: null });
  });

  it("publishes a free course and priced courses with chapters, lessons and trial lessons", async () => {
    await seed();
    const courses = (await env.DB.prepare("SELECT id, price_fen FROM courses WHERE status = 'published'").all<{ id: string; price_fen: number }>()).results;
    expect(courses.some((c) => c.price_fen === 0)).toBe(true);
    expect(courses.filter((c) => c.price_fen > 0).length).toBeGreaterThanOrEqual(1);
    const trial = await env.DB.prepare(
      "SELECT count(*) AS n FROM lessons l JOIN courses c ON c.id = l.course_id WHERE c.status = 'published' AND c.price_fen > 0 AND l.is_trial = 1",
    ).first<{ n: number }>();
    expect(trial!.n).toBeGreaterThan(0);
    const orphans = await env.DB.prepare("SELECT count(*) AS n FROM lessons l LEFT JOIN chapters ch ON ch.id = l.chapter_id WHERE ch.id IS NULL").first<{ n: number }>();
    expect(orphans!.n).toBe(0);
  });

  it("shows the published courses in the catalog, and a trial lesson of a priced course", async () => {
    await seed();
    const list = await parsed(call("/api/courses"));
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(["course-calligraphy-basics", "course-kaishu-30", "course-shanshui"]));
    expect(ids).not.toContain("course-seal-carving");
    const detail = await parsed(call("/api/courses/course-kaishu-30"));
    expect(detail.status).toBe(200);
    expect(JSON.stringify(detail.body)).toContain("起笔与收笔");
  });

  it("keeps its referral rules: demo-partner cannot bind under demo-member (a cycle)", async () => {
    await seed();
    const partner = await login("demo-partner");
    const res = await parsed(call("/api/me/referrer", { token: partner.token, json: { inviteCode: "MEMBER23" } }));
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("/problems/referral-cycle");
  });
});
