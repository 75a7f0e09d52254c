import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditStatement, uuidv7 } from "../../worker/audit/log";
import { fetchWorker, loginSession, seedAdmin, seedMember } from "./support";
import { mintMember } from "../support/api";

const countAudit = async (targetId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE target_id = ?").bind(targetId).first<{ n: number }>())!.n;

describe("the audit log", () => {
  it("commits its row in the same batch as the change it records", async () => {
    const id = await seedMember({ nickname: "before" });
    await env.DB.batch([
      env.DB.prepare("UPDATE members SET tier = 'promoter' WHERE id = ?").bind(id),
      auditStatement(env.DB, { actorId: "adm_x", actorKind: "admin", action: "member.tier_changed", targetType: "member", targetId: id, before: { tier: "member" }, after: { tier: "promoter" }, requestId: "req-12345678" }),
    ]);
    const row = await env.DB.prepare("SELECT * FROM audit_log WHERE target_id = ?").bind(id).first<Record<string, unknown>>();
    expect(row).toMatchObject({ actor_id: "adm_x", actor_kind: "admin", action: "member.tier_changed", target_type: "member", before: '{"tier":"member"}', after: '{"tier":"promoter"}', request_id: "req-12345678" });
  });

  it("leaves no audit row when the change it records fails", async () => {
    const id = await seedMember({});
    const taken = await seedMember({});
    await expect(
      env.DB.batch([
        auditStatement(env.DB, { actorId: "adm_x", actorKind: "admin", action: "member.invite_code_changed", targetType: "member", targetId: id }),
        // invite codes are UNIQUE: this fails, so the whole batch, audit row included, rolls back
        env.DB.prepare("UPDATE members SET invite_code = (SELECT invite_code FROM members WHERE id = ?) WHERE id = ?").bind(taken, id),
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await countAudit(id)).toBe(0);
  });

  it("cannot be updated or deleted, and a batch that tries rolls back whole", async () => {
    const id = await seedMember({});
    await auditStatement(env.DB, { actorId: "system", actorKind: "system", action: "test.entry", targetType: "member", targetId: id }).run();
    await expect(env.DB.prepare("UPDATE audit_log SET action = 'rewritten' WHERE target_id = ?").bind(id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE target_id = ?").bind(id).run()).rejects.toThrow(/append-only/);
    await expect(
      env.DB.batch([env.DB.prepare("UPDATE members SET nickname = 'changed' WHERE id = ?").bind(id), env.DB.prepare("DELETE FROM audit_log")]),
    ).rejects.toThrow(/append-only/);
    expect((await env.DB.prepare("SELECT nickname FROM members WHERE id = ?").bind(id).first())?.nickname).toBe("");
    expect(await countAudit(id)).toBe(1);
  });

  it("orders ids by time, so the newest entry sorts last", () => {
    const ids = Array.from({ length: 50 }, (_, i) => uuidv7(1_800_000_000_000 + Math.floor(i / 10)));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("GET /api/admin/audit-log", () => {
  async function seedEntries(targetId: string, n: number) {
    await env.DB.batch(
      Array.from({ length: n }, (_, i) => auditStatement(env.DB, { actorId: "system", actorKind: "system", action: "test.page", targetType: "thing", targetId, after: { i } })),
    );
  }

  it("pages newest first with a cursor, for an admin bearer token", async () => {
    await seedEntries("paged", 5);
    const token = (await mintMember({ id: "m-admin", roles: ["admin"] })).token;
    const headers = { authorization: `Bearer ${token}` };
    const first = await fetchWorker("/api/admin/audit-log?limit=3&targetId=paged", { headers });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { items: { after: { i: number }; createdAt: string }[]; nextCursor: string };
    expect(page1.items.map((e) => e.after.i)).toEqual([4, 3, 2]);
    expect(new Date(page1.items[0].createdAt).toISOString()).toBe(page1.items[0].createdAt);
    const second = await fetchWorker(`/api/admin/audit-log?limit=3&targetId=paged&cursor=${page1.nextCursor}`, { headers });
    const page2 = (await second.json()) as { items: { after: { i: number } }[]; nextCursor: string | null };
    expect(page2.items.map((e) => e.after.i)).toEqual([1, 0]);
    expect(page2.nextCursor).toBeNull();
  });

  it("answers the console's cookie too, naming the admin", async () => {
    await seedAdmin("rita");
    const { cookie } = await loginSession("rita");
    const res = await fetchWorker("/api/admin/audit-log?action=admin.login", { headers: { cookie } });
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    expect(body.items[0]).toMatchObject({ actorName: "rita", actorKind: "admin", targetType: "admin_user", targetName: "rita" });
  });

  it("is closed to members and to anonymous callers, and validates its query", async () => {
    const member = (await mintMember({ id: "m-2", tier: "channel_partner" })).token;
    const admin = (await mintMember({ id: "m-admin", roles: ["admin"] })).token;
    expect((await fetchWorker("/api/admin/audit-log")).status).toBe(401);
    expect((await fetchWorker("/api/admin/audit-log", { headers: { authorization: `Bearer ${member}` } })).status).toBe(403);
    const bad = await fetchWorker("/api/admin/audit-log?limit=1000&cursor=nope", { headers: { authorization: `Bearer ${admin}` } });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });

  it("is documented in the OpenAPI document", async () => {
    const doc = (await (await fetchWorker("/openapi.json")).json()) as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    expect(doc.paths["/api/admin/audit-log"].get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["limit", "cursor"]));
  });
});
