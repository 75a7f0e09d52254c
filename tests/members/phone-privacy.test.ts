import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encryptLegacyPhones } from "../../worker/members/phone";
import { loginSession, seedAdmin, seedMember, fetchWorker } from "../admin/support";
import { call, login, parsed } from "../support/api";

const row = (id: string) => env.DB.prepare("SELECT phone, phone_ciphertext, phone_hash FROM members WHERE id = ?").bind(id).first<{ phone: string | null; phone_ciphertext: string | null; phone_hash: string | null }>();

describe("phone numbers at rest", () => {
  it("are stored encrypted with a keyed hash; the member still sees their own number", async () => {
    const m = await login("pp-phone");
    expect((await parsed(call("/api/me/phone", { token: m.token, json: { code: "sandbox-phone:13700137000" } }))).body.phone).toBe("13700137000");
    const stored = await row(m.member.id);
    expect(stored?.phone).toBeNull();
    expect(stored?.phone_ciphertext).toMatch(/^v1\./);
    expect(stored?.phone_ciphertext).not.toContain("13700137000");
    expect(stored?.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await parsed(call("/api/me", { token: m.token }))).body.phone).toBe("13700137000");
  });

  it("old clear-text numbers are encrypted by the job, and the console finds members by number either way", async () => {
    const legacy = await seedMember({ nickname: "老会员", phone: "13600136000" });
    const fresh = await login("pp-fresh");
    await call("/api/me/phone", { token: fresh.token, json: { code: "sandbox-phone:13500135000" } });
    expect(await encryptLegacyPhones(env)).toBeGreaterThanOrEqual(1);
    expect(await row(legacy)).toMatchObject({ phone: null, phone_ciphertext: expect.stringMatching(/^v1\./) });
    expect(await encryptLegacyPhones(env)).toBe(0);

    await seedAdmin("phil");
    const { cookie } = await loginSession("phil");
    const search = async (q: string) => (await fetchWorker(`/admin/members?q=${q}`, { headers: { cookie } })).text();
    const legacyPage = await search("13600136000");
    expect(legacyPage).toContain(`/admin/members/${legacy}`);
    expect(legacyPage).toContain("136****6000");
    expect(legacyPage).not.toContain("13600136000\u003c");
    expect(await search("13500135000")).toContain(`/admin/members/${fresh.member.id}`);
    expect(await search("13500135001")).not.toContain(`/admin/members/${fresh.member.id}`);
    expect(await (await fetchWorker(`/admin/members/${legacy}`, { headers: { cookie } })).text()).toContain("13600136000");
  });
});
