import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, login, parsed } from "../support/api";

const DAY = 86_400_000;

async function bindings(memberId: string) {
  const { results } = await env.DB.prepare("SELECT referrer_id, source FROM referral_bindings WHERE member_id = ? ORDER BY created_at").bind(memberId).all();
  return results;
}

async function bind(token: string, inviteCode: string) {
  return parsed(call("/api/me/referrer", { token, json: { inviteCode } }));
}

async function setProtectionDays(days: number) {
  await env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('referral.protectionDays', ?, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    .bind(JSON.stringify(days))
    .run();
}

describe("binding a referrer", () => {
  it("binds a member to the owner of an invite code and records where it came from", async () => {
    const alice = await login("r-alice");
    const bob = await login("r-bob");
    const res = await bind(bob.token, alice.member.inviteCode.toLowerCase());
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("bound");
    expect(res.body.member.referrer).toEqual({ id: alice.member.id, nickname: "", avatarUrl: "" });
    expect(res.body.member.boundAt).toMatch(/Z$/);
    expect(await bindings(bob.member.id)).toEqual([{ referrer_id: alice.member.id, source: "invite_code" }]);
    const me = await parsed(call("/api/me", { token: bob.token }));
    expect(me.body.referrer.id).toBe(alice.member.id);
  });

  it("binds at login from an invite code", async () => {
    const host = await login("r-host");
    const guest = await login("r-guest", { inviteCode: host.member.inviteCode });
    expect(guest.referral).toEqual({ status: "bound" });
    expect(guest.member.referrer.id).toBe(host.member.id);
    expect(await bindings(guest.member.id)).toEqual([{ referrer_id: host.member.id, source: "invite_code" }]);
  });

  it("binds at login from a mini-program code's URL-encoded scene", async () => {
    const host = await login("r-scene-host");
    const invite = await parsed(call("/api/me/invite", { token: host.token }));
    const guest = await login("r-scene-guest", { scene: encodeURIComponent(invite.body.scene) });
    expect(guest.referral).toEqual({ status: "bound" });
    expect(await bindings(guest.member.id)).toEqual([{ referrer_id: host.member.id, source: "scene" }]);
  });

  it("still logs in when the invite code is unknown, and says why nothing was bound", async () => {
    const guest = await login("r-lost-guest", { inviteCode: "ZZZZZZZZ" });
    expect(guest.referral).toEqual({ status: "refused", reason: "/problems/invite-code-not-found" });
    expect(guest.member.referrer).toBeNull();
  });

  it("answers an unknown invite code with 404", async () => {
    const m = await login("r-unknown");
    const res = await bind(m.token, "ZZZZZZZZ");
    expect(res.status).toBe(404);
    expect(res.body.type).toBe("/problems/invite-code-not-found");
  });

  it("refuses self-binding and writes nothing", async () => {
    const narcissus = await login("r-self");
    const res = await bind(narcissus.token, narcissus.member.inviteCode);
    expect(res.status).toBe(422);
    expect(res.body.type).toBe("/problems/referral-self");
    expect(await bindings(narcissus.member.id)).toEqual([]);
  });

  it("refuses a referrer that would close a cycle", async () => {
    const a = await login("r-cycle-a");
    const b = await login("r-cycle-b", { inviteCode: a.member.inviteCode });
    const c = await login("r-cycle-c", { inviteCode: b.member.inviteCode });
    for (const upline of [b, c]) {
      const res = await bind(a.token, upline.member.inviteCode);
      expect(res.status).toBe(409);
      expect(res.body.type).toBe("/problems/referral-cycle");
    }
    expect(await bindings(a.member.id)).toEqual([]);
  });

  it("keeps the first binding: a second referrer is refused", async () => {
    const first = await login("r-first");
    const second = await login("r-second");
    const m = await login("r-courted", { inviteCode: first.member.inviteCode });
    const res = await bind(m.token, second.member.inviteCode);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("/problems/referral-already-bound");
    expect((await parsed(call("/api/me", { token: m.token }))).body.referrer.id).toBe(first.member.id);
  });

  it("answers binding the same referrer again as unchanged, without a new record", async () => {
    const host = await login("r-same-host");
    const m = await login("r-same", { inviteCode: host.member.inviteCode });
    const res = await bind(m.token, host.member.inviteCode);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("unchanged");
    expect(await bindings(m.member.id)).toHaveLength(1);
  });

  it.each([
    ["no invite code", {}],
    ["a number", { inviteCode: 12345678 }],
    ["a too short code", { inviteCode: "AB" }],
  ])("rejects %s with 422 and writes nothing", async (_, body) => {
    const m = await login(`r-invalid-${Object.keys(body).length}-${typeof (body as any).inviteCode}`);
    const res = await parsed(call("/api/me/referrer", { token: m.token, json: body }));
    expect(res.status).toBe(422);
    expect(res.body.type).toBe("/problems/validation-failed");
    expect(await bindings(m.member.id)).toEqual([]);
  });

  it("requires a token", async () => {
    const res = await parsed(call("/api/me/referrer", { json: { inviteCode: "ABCDEFGH" } }));
    expect(res.status).toBe(401);
  });
});

describe("the protection period (客户关系保护期)", () => {
  async function boundDaysAgo(days: number) {
    const tag = `${days}-${crypto.randomUUID().slice(0, 6)}`;
    const old = await login(`p-old-${tag}`);
    const fresh = await login(`p-new-${tag}`);
    const m = await login(`p-member-${tag}`, { inviteCode: old.member.inviteCode });
    await env.DB.prepare("UPDATE members SET bound_at = ? WHERE id = ?").bind(Date.now() - days * DAY, m.member.id).run();
    return { old, fresh, m };
  }

  it("lets another referrer take over once the period has expired, recording both bindings", async () => {
    await setProtectionDays(30);
    const { old, fresh, m } = await boundDaysAgo(31);
    const res = await bind(m.token, fresh.member.inviteCode);
    expect(res.status).toBe(200);
    expect(res.body.member.referrer.id).toBe(fresh.member.id);
    expect((await bindings(m.member.id)).map((b) => b.referrer_id)).toEqual([old.member.id, fresh.member.id]);
  });

  it("protects the first referrer within the period", async () => {
    await setProtectionDays(30);
    const { fresh, m } = await boundDaysAgo(29);
    expect((await bind(m.token, fresh.member.inviteCode)).status).toBe(409);
  });

  it("protects forever when the period is 0", async () => {
    await setProtectionDays(0);
    const { fresh, m } = await boundDaysAgo(3650);
    const res = await bind(m.token, fresh.member.inviteCode);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("/problems/referral-already-bound");
  });
});

describe("concurrent binding", () => {
  it("leaves exactly one binding when 20 referrers are bound at once", async () => {
    const referrers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`c-referrer-${i}`)));
    const m = await login("c-contested");
    const results = await Promise.all(referrers.map((r) => bind(m.token, r.member.inviteCode)));
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const recorded = await bindings(m.member.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].referrer_id).toBe(won[0].body.member.referrer.id);
  });

  it("never lets two members bind each other at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await login(`c-pair-a-${round}`);
      const b = await login(`c-pair-b-${round}`);
      const [ab, ba] = await Promise.all([bind(a.token, b.member.inviteCode), bind(b.token, a.member.inviteCode)]);
      expect([ab.status, ba.status].sort()).toEqual([200, 409]);
      const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM referral_bindings WHERE member_id IN (?, ?)").bind(a.member.id, b.member.id).first<{ n: number }>())!;
      expect(n).toBe(1);
    }
  });
});

describe("sharing an invite", () => {
  it("gives the invite code, a scene within WeChat's 32 characters and the page path", async () => {
    const m = await login("s-sharer");
    const res = await parsed(call("/api/me/invite", { token: m.token }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ inviteCode: m.member.inviteCode, scene: `i=${m.member.inviteCode}`, path: `pages/index/index?inviteCode=${m.member.inviteCode}` });
    expect(res.body.scene.length).toBeLessThanOrEqual(32);
  });

  it("refuses a chain deeper than the bounded walk", async () => {
    const stmts = [];
    for (let i = 0; i < 40; i++) {
      stmts.push(
        env.DB.prepare("INSERT INTO members (id, openid, invite_code, referrer_id, created_at) VALUES (?, ?, ?, ?, 0)").bind(
          `deep-${i}`, `deep-${i}`, `DEEP-${i}`, i ? `deep-${i - 1}` : null,
        ),
      );
    }
    await env.DB.batch(stmts);
    const m = await login("s-deep");
    const res = await bind(m.token, "DEEP-39");
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("/problems/referral-chain-too-deep");
  });
});
