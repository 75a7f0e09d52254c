import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, login, parsed } from "../support/api";
import { loginSession, ORIGIN, seedAdmin } from "../admin/support";

async function makeAdmin(openid: string) {
  const { member } = await login(openid);
  await env.DB.prepare("UPDATE members SET roles = '[\"admin\"]' WHERE id = ?").bind(member.id).run();
  return login(openid); // a fresh token carrying the role
}

function changeRoles(token: string, memberId: string, body: unknown, headers: Record<string, string> = {}) {
  return parsed(call(`/api/admin/members/${memberId}/roles`, { token, json: body, headers }));
}

async function audit(targetId: string) {
  const { results } = await env.DB.prepare("SELECT actor_id, action, before, after FROM audit_log WHERE target_type = 'member' AND target_id = ? ORDER BY id")
    .bind(targetId)
    .all<{ actor_id: string; action: string; before: string; after: string }>();
  return results.map((r) => ({ ...r, before: JSON.parse(r.before), after: JSON.parse(r.after) }));
}

describe("granting roles", () => {
  it("lets an admin grant the admin role, audit-logged in the same batch", async () => {
    const admin = await makeAdmin("g-admin");
    const target = await login("g-target");
    const res = await changeRoles(admin.token, target.member.id, { role: "admin", action: "grant" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ memberId: target.member.id, roles: ["admin"], changed: true });
    expect(await audit(target.member.id)).toEqual([
      { actor_id: admin.member.id, action: "member.role_granted", before: { roles: [] }, after: { roles: ["admin"] } },
    ]);
    expect((await login("g-target")).member.roles).toEqual(["admin"]);
  });

  it("refuses a member who is not an admin, and changes nothing", async () => {
    const member = await login("g-ambitious");
    const res = await changeRoles(member.token, member.member.id, { role: "admin", action: "grant" });
    expect(res.status).toBe(403);
    expect((await parsed(call("/api/me", { token: member.token }))).body.roles).toEqual([]);
    expect(await audit(member.member.id)).toEqual([]);
  });

  it("refuses a token that still says admin after the role was revoked in the database", async () => {
    const revoked = await makeAdmin("g-revoked");
    await env.DB.prepare("UPDATE members SET roles = '[]' WHERE id = ?").bind(revoked.member.id).run();
    const target = await login("g-target-2");
    const res = await changeRoles(revoked.token, target.member.id, { role: "admin", action: "grant" });
    expect(res.status).toBe(403);
    expect((await parsed(call("/api/me", { token: target.token }))).body.roles).toEqual([]);
    expect(await audit(target.member.id)).toEqual([]);
  });

  it("lets an admin revoke another admin, but not themselves", async () => {
    const alice = await makeAdmin("g-alice");
    const bob = await makeAdmin("g-bob");
    const self = await changeRoles(alice.token, alice.member.id, { role: "admin", action: "revoke" });
    expect(self.status).toBe(409);
    const res = await changeRoles(alice.token, bob.member.id, { role: "admin", action: "revoke" });
    expect(res.body).toEqual({ memberId: bob.member.id, roles: [], changed: true });
    expect((await audit(bob.member.id)).map((a) => a.action)).toEqual(["member.role_revoked"]);
    expect((await changeRoles(bob.token, alice.member.id, { role: "admin", action: "revoke" })).status).toBe(403);
  });

  it("answers a grant that changes nothing without a new audit record", async () => {
    const admin = await makeAdmin("g-noop-admin");
    const other = await makeAdmin("g-noop-other");
    const res = await changeRoles(admin.token, other.member.id, { role: "admin", action: "grant" });
    expect(res.body.changed).toBe(false);
    expect(await audit(other.member.id)).toEqual([]);
  });

  it("works from the admin console's session cookie with its CSRF token", async () => {
    await seedAdmin("console-root");
    const { cookie, csrf } = await loginSession("console-root");
    const target = await login("g-console-target");
    const res = await parsed(call(`/api/admin/members/${target.member.id}/roles`, { json: { role: "admin", action: "grant" }, headers: { cookie, origin: ORIGIN, "x-csrf-token": csrf } }));
    expect(res.status).toBe(200);
    expect((await audit(target.member.id))[0].action).toBe("member.role_granted");
  });

  it.each([
    ["an unknown role", { role: "superuser", action: "grant" }],
    ["an unknown action", { role: "admin", action: "promote" }],
    ["no body fields", {}],
  ])("rejects %s with 422 and writes nothing", async (_, body) => {
    const admin = await makeAdmin(`g-invalid-${Object.values(body).join("-") || "empty"}`);
    const target = await login(`g-invalid-target-${Object.values(body).join("-") || "empty"}`);
    const res = await changeRoles(admin.token, target.member.id, body);
    expect(res.status).toBe(422);
    expect(await audit(target.member.id)).toEqual([]);
  });

  it("answers an unknown member with 404", async () => {
    const admin = await makeAdmin("g-404");
    expect((await changeRoles(admin.token, "no-such-member", { role: "admin", action: "grant" })).status).toBe(404);
  });
});
