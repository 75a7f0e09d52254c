import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { seedCourse, storeMedia } from "../courses/support";
import { call, mintMember, parsed } from "../support/api";

const stored = async (key: string) => (await env.DB.prepare("SELECT value FROM settings WHERE key = ?").bind(key).first<{ value: string }>())?.value ?? null;
const audits = async (key: string) =>
  (await env.DB.prepare("SELECT actor_id, before, after FROM audit_log WHERE action = 'setting.changed' AND target_id = ? ORDER BY id").bind(key).all<{ actor_id: string; before: string; after: string }>()).results;
const patch = (token: string, body: unknown) => parsed(call("/api/admin/settings", { token, method: "PATCH", json: body }));
const valueOf = (items: { key: string; value: unknown }[], key: string) => items.find((i) => i.key === key)?.value;

afterEach(() => vi.restoreAllMocks());

describe("settings an admin can change", () => {
  it("lists every declared setting with its Chinese label and default", async () => {
    const admin = (await mintMember({ id: "set-admin-1", roles: ["admin"] })).token;
    const res = await parsed(call("/api/admin/settings", { token: admin }));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: "referral.protectionDays", label: "客户关系保护期（天）", value: 0, defaultValue: 0, isSet: false }),
        expect.objectContaining({ key: "courses.allAccessTiers", value: ["shareholder"], defaultValue: ["shareholder"] }),
      ]),
    );
  });

  it("writes a valid change, audits before and after, and the next request uses it", async () => {
    const admin = (await mintMember({ id: "set-admin-2", roles: ["admin"] })).token;
    const partner = (await mintMember({ id: "set-partner", tier: "channel_partner" })).token;
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }, {}] });
    await storeMedia(lessonIds[1], "paid");
    expect((await parsed(call(`/api/lessons/${lessonIds[1]}/media`, { token: partner }))).status).toBe(403);

    const res = await patch(admin, { "courses.allAccessTiers": ["channel_partner", "shareholder"], "referral.protectionDays": 30 });
    expect(res.status).toBe(200);
    expect(valueOf(res.body.items, "referral.protectionDays")).toBe(30);
    expect(await stored("referral.protectionDays")).toBe("30");
    expect((await parsed(call(`/api/lessons/${lessonIds[1]}/media`, { token: partner }))).status).toBe(200);

    const [entry] = await audits("courses.allAccessTiers");
    expect(entry.actor_id).toBe("set-admin-2");
    expect(JSON.parse(entry.before)).toEqual({ value: null });
    expect(JSON.parse(entry.after)).toEqual({ value: ["channel_partner", "shareholder"] });

    await patch(admin, { "referral.protectionDays": 7 });
    const days = await audits("referral.protectionDays");
    expect(days.map((d) => [JSON.parse(d.before).value, JSON.parse(d.after).value])).toEqual([[null, 30], [30, 7]]);
  });

  it("refuses the whole change when any key is invalid or unknown, writing nothing", async () => {
    const admin = (await mintMember({ id: "set-admin-3", roles: ["admin"] })).token;
    const before = { value: await stored("referral.protectionDays"), audits: (await audits("referral.protectionDays")).length };
    for (const body of [
      { "referral.protectionDays": 14, "courses.allAccessTiers": ["emperor"] },
      { "referral.protectionDays": -1 },
      { "referral.protectionDays": 1.5 },
      { "referral.protectionDays": "30" },
      { "referral.protectionDays": 14, "commissions.levels": 3 },
      {},
    ]) {
      const res = await patch(admin, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const unknown = await patch(admin, { "commissions.levels": 3 });
    expect(unknown.body.errors).toEqual([{ path: "commissions.levels", message: expect.stringContaining("没有这个设置项") }]);
    expect(await stored("referral.protectionDays")).toBe(before.value);
    expect(await audits("referral.protectionDays")).toHaveLength(before.audits);
  });

  it("is for admins only", async () => {
    const member = (await mintMember({ id: "set-member", tier: "shareholder" })).token;
    expect((await parsed(call("/api/admin/settings", { token: member }))).status).toBe(403);
    expect((await patch(member, { "referral.protectionDays": 1 })).status).toBe(403);
    expect((await parsed(call("/api/admin/settings"))).status).toBe(401);
  });

  it("falls back to the default, and logs a warning, when a stored value is malformed", async () => {
    const admin = (await mintMember({ id: "set-admin-4", roles: ["admin"] })).token;
    const holder = (await mintMember({ id: "set-holder", tier: "shareholder" })).token;
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }, {}] });
    await storeMedia(lessonIds[1], "paid");
    await env.DB.prepare("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('courses.allAccessTiers', '[\"emperor\"]', 0)").run();
    const warn = vi.spyOn(console, "warn");

    expect((await parsed(call(`/api/lessons/${lessonIds[1]}/media`, { token: holder }))).status).toBe(200);
    const listed = await parsed(call("/api/admin/settings", { token: admin }));
    expect(listed.body.items.find((i: { key: string }) => i.key === "courses.allAccessTiers")).toMatchObject({ value: ["shareholder"], malformed: true, isSet: false });
    expect(warn.mock.calls.some(([line]) => String(line).includes("malformed setting") && String(line).includes("courses.allAccessTiers"))).toBe(true);
  });
});
