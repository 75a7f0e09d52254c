import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_ITERATIONS, verifyPassword } from "../../worker/console/password";
import { hashPassword as hashWithNodeCrypto, newAdmin } from "../../scripts/admin-credentials.mjs";

describe("admin password hashes", () => {
  it("stores PBKDF2-SHA256 with its iterations and a per-user salt", async () => {
    const a = await hashPassword("s3cret-passphrase");
    const b = await hashPassword("s3cret-passphrase");
    expect(a).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}$`));
    expect(a.split("$")[2]).not.toBe(b.split("$")[2]);
    expect(a).not.toBe(b);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("s3cret-passphrase");
    expect(await verifyPassword("s3cret-passphrase", stored)).toBe(true);
    expect(await verifyPassword("s3cret-passphrasE", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("honours the iterations stored with an older hash", async () => {
    const stored = await hashPassword("older", 1_000);
    expect(stored.split("$")[1]).toBe("1000");
    expect(await verifyPassword("older", stored)).toBe(true);
  });

  it("refuses malformed hashes and iterations above workerd's PBKDF2 ceiling", async () => {
    const stored = await hashPassword("pw");
    expect(await verifyPassword("pw", stored.replace(/\$100000\$/, "$100001$"))).toBe(false);
    expect(await verifyPassword("pw", "plaintext")).toBe(false);
    expect(await verifyPassword("pw", "pbkdf2-sha256$100000$!!!$!!!")).toBe(false);
  });

  it("accepts hashes made by the admin:create script with node:crypto", async () => {
    expect(await verifyPassword("made by the CLI ✓", hashWithNodeCrypto("made by the CLI ✓"))).toBe(true);
    const { admin, sql } = newAdmin({ username: "alice", password: "a long enough password" });
    expect(await verifyPassword("a long enough password", admin.passwordHash)).toBe(true);
    expect(admin.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(sql).toContain("INSERT INTO admin_users");
  });

  it("the admin:create script refuses usernames that could break out of SQL", () => {
    expect(() => newAdmin({ username: "x'); DROP TABLE members;--", password: "a long enough password" })).toThrow(/username/);
    expect(() => newAdmin({ username: "bob", password: "short" })).toThrow(/password/);
  });
});
