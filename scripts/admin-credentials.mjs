// Credentials for a console admin, made with node:crypto in exactly the format the worker verifies
// (worker/console/password.ts and worker/console/totp.ts). Used by scripts/create-admin.mjs and by tests.
import { pbkdf2Sync, randomBytes, randomUUID } from "node:crypto";

export const PBKDF2_ITERATIONS = 100_000; // workerd's PBKDF2 ceiling; must match worker/console/password.ts
export const TOTP_ISSUER = "知识社群 Admin";
export const USERNAME = /^[a-z0-9][a-z0-9_.-]{2,31}$/;

/**
 * `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` over the NFKC-normalised password.
 * @param {string} password
 */
export function hashPassword(password, iterations = PBKDF2_ITERATIONS) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(Buffer.from(password.normalize("NFKC"), "utf8"), salt, iterations, 32, "sha256");
  return `pbkdf2-sha256$${iterations}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A 160-bit TOTP secret in base32 (RFC 4648, no padding), as authenticator apps expect. */
export function generateTotpSecret() {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A readable random password (about 120 bits). */
export function generatePassword() {
  return randomBytes(15).toString("base64url").replace(/[-_]/g, "x") + "-" + randomBytes(5).toString("hex");
}

/** @param {string} username @param {string} secret */
export function otpauthUri(username, secret) {
  const label = encodeURIComponent(`${TOTP_ISSUER}:${username}`);
  const issuer = encodeURIComponent(TOTP_ISSUER);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${issuer}&algorithm=SHA1&digits=6&period=30`;
}

/**
 * The admin row. Inputs are validated (username pattern, member id charset), and the hash and secret
 * are base64/base32, so the SQL literal cannot be broken out of.
 * @param {{ username: string, password: string, memberId?: string | null, now?: number }} input
 */
export function newAdmin({ username, password, memberId, now = Date.now() }) {
  if (!USERNAME.test(username)) throw new Error("username: 3-32 chars of a-z 0-9 _ . - (lowercase, starting with a letter or digit)");
  if (memberId != null && !/^[A-Za-z0-9_.:-]{1,64}$/.test(memberId)) throw new Error("member id: 1-64 chars of A-Z a-z 0-9 _ . : -");
  if (password.length < 12) throw new Error("password: at least 12 characters");
  const admin = {
    id: `adm_${randomUUID()}`,
    username,
    passwordHash: hashPassword(password),
    totpSecret: generateTotpSecret(),
    memberId: memberId ?? null,
    createdAt: now,
  };
  const q = (/** @type {unknown} */ v) => (v == null ? "NULL" : `'${String(v).replace(/'/g, "''")}'`);
  const sql =
    "INSERT INTO admin_users (id, username, password_hash, totp_secret, member_id, created_at) VALUES " +
    `(${q(admin.id)}, ${q(admin.username)}, ${q(admin.passwordHash)}, ${q(admin.totpSecret)}, ${q(admin.memberId)}, ${admin.createdAt});`;
  return { admin, sql };
}
