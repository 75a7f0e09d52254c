import { maskPhone, openPii, piiSearchHash, sealPii } from "../http/pii";
import type { Logger } from "../http/log";

/**
 * Phone numbers are personal data: stored AES-GCM encrypted (`phone_ciphertext`, bound to the member by its
 * context) with a keyed hash (`phone_hash`) so the console still finds a member by the exact number. The old
 * clear-text column is emptied as numbers are encrypted (new ones on write, old ones by the job below).
 */
type PiiEnv = Pick<Env, "PII_ENCRYPTION_KEY">;

export const phoneContext = (memberId: string) => `phone:${memberId}`;

export const phoneSearchHash = (env: PiiEnv, phone: string) => piiSearchHash(env, "phone", phone);

/** The columns a phone number is stored in (the clear column emptied). */
export async function sealedPhone(env: PiiEnv, memberId: string, phone: string) {
  return { phone: null, phoneCiphertext: await sealPii(env, phoneContext(memberId), phone), phoneHash: await phoneSearchHash(env, phone) };
}

/** The member's phone in clear (for the member and the console), from whichever column holds it. */
export async function readPhone(env: PiiEnv, m: { id: string; phone: string | null; phoneCiphertext: string | null }): Promise<string | null> {
  if (m.phoneCiphertext) return openPii(env, phoneContext(m.id), m.phoneCiphertext);
  return m.phone;
}

export async function maskedPhone(env: PiiEnv, m: { id: string; phone: string | null; phoneCiphertext: string | null }): Promise<string | null> {
  const phone = await readPhone(env, m);
  return phone === null ? null : maskPhone(phone);
}

const LEGACY_BATCH = 100;

/**
 * Encrypts phone numbers still stored in clear (written before encryption existed), a bounded batch per run.
 * Each UPDATE applies only while the clear value is the one read, so a number changed meanwhile is left for the next run.
 */
export async function encryptLegacyPhones(env: Pick<Env, "PII_ENCRYPTION_KEY" | "DB">, log?: Logger): Promise<number> {
  const d1 = env.DB;
  const { results } = await d1.prepare("SELECT id, phone FROM members WHERE phone IS NOT NULL LIMIT ?").bind(LEGACY_BATCH).all<{ id: string; phone: string }>();
  if (results.length === 0) return 0;
  const statements = await Promise.all(
    results.map(async (m) => {
      const s = await sealedPhone(env, m.id, m.phone);
      return d1.prepare("UPDATE members SET phone = NULL, phone_ciphertext = ?, phone_hash = ? WHERE id = ? AND phone = ?").bind(s.phoneCiphertext, s.phoneHash, m.id, m.phone);
    }),
  );
  await d1.batch(statements);
  log?.info("legacy phone numbers encrypted", { count: results.length });
  return results.length;
}
