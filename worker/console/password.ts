import { base64ToBytes, bytesToBase64, timingSafeEqual } from "../http/encoding";

/**
 * Admin password hashes: PBKDF2-HMAC-SHA256 on WebCrypto with a per-user 16-byte salt.
 * Stored as `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`, so the iterations can rise later while
 * old hashes still verify. workerd refuses more than 100,000 PBKDF2 iterations, hence the ceiling.
 * scripts/admin-credentials.mjs produces the same format with node:crypto (tests check both agree).
 */
export const PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_MAX_ITERATIONS = 100_000;
const SCHEME = "pbkdf2-sha256";
const HASH_BYTES = 32;

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, iterations);
  return `${SCHEME}$${iterations}$${bytesToBase64(salt)}$${bytesToBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await pbkdf2(password, parsed.salt, parsed.iterations);
  return timingSafeEqual(actual, parsed.hash);
}

/** A well-formed hash no password matches (its salt and hash are zeros), verified at full cost. */
const DECOY_HASH = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${"A".repeat(22)}==$${"A".repeat(43)}=`;

/** Costs what a real check costs, so an unknown username or a locked account answers in the same time. */
export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(password, DECOY_HASH);
}

function parse(stored: string) {
  const [scheme, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== SCHEME || !Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) return null;
  const saltBytes = base64ToBytes(salt ?? "");
  const hashBytes = base64ToBytes(hash ?? "");
  return saltBytes && hashBytes ? { iterations, salt: saltBytes, hash: hashBytes } : null;
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BYTES * 8);
  return new Uint8Array(bits);
}
