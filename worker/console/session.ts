import type { Tier } from "../http/auth";
import { bytesToBase64Url, sha256Hex, timingSafeEqual } from "../http/encoding";

/**
 * Console sessions. The cookie carries a random 256-bit token; D1 stores only its SHA-256, so reading the
 * table opens no session. The CSRF synchronizer token is derived from the session token (it changes with
 * every session and cannot be computed without the HttpOnly cookie), and is checked on every state change.
 */
export const SESSION_COOKIE = "__Host-zs_admin";
export const LOGIN_CSRF_COOKIE = "__Host-zs_login";
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const CSRF_HEADER = "x-csrf-token";

export type ConsoleAdmin = {
  id: string;
  username: string;
  memberId: string | null;
  /** The linked member's tier, or "member" when the admin has no member. */
  tier: Tier;
};

export type ConsoleSession = { tokenHash: string; expiresAt: number; csrfToken: string; admin: ConsoleAdmin };

export function newSessionToken(): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function csrfTokenFor(sessionToken: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`csrf:${sessionToken}`));
  return bytesToBase64Url(new Uint8Array(digest));
}

export function insertSessionStatement(d1: D1Database, s: { tokenHash: string; adminId: string; totpStep: number; now: number; userAgent: string }) {
  // admin_id comes from a sub-select that finds the admin only while the TOTP step is still unused and the
  // account is neither locked nor disabled; a login overtaken by a concurrent one (same code, or failures that
  // locked the account meanwhile) gets NULL, the NOT NULL constraint fails and its whole batch rolls back.
  return d1
    .prepare(
      `INSERT INTO admin_sessions (token_hash, admin_id, created_at, expires_at, user_agent) VALUES (?1,
         (SELECT id FROM admin_users WHERE id = ?2 AND totp_last_step < ?3 AND disabled = 0 AND (locked_until IS NULL OR locked_until <= ?4)),
         ?4, ?5, ?6)`,
    )
    .bind(s.tokenHash, s.adminId, s.totpStep, s.now, s.now + SESSION_TTL_MS, s.userAgent.slice(0, 200));
}

/**
 * SQL: the console user's linked member (if any) is blocked (封禁). Blocking a person stops them everywhere, so a
 * console user linked to a blocked member neither logs in nor keeps a session, as if disabled.
 */
export const linkedMemberBlocked = (adminUsers: string) =>
  `EXISTS (SELECT 1 FROM members bm WHERE bm.id = ${adminUsers}.member_id AND bm.blocked_at IS NOT NULL)`;

type SessionRow = { token_hash: string; expires_at: number; id: string; username: string; member_id: string | null; tier: Tier | null };

/** One indexed read: the session by its hash, with its admin and the linked member's tier. */
export async function loadSession(d1: D1Database, token: string | undefined, now = Date.now()): Promise<ConsoleSession | null> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  const row = await d1
    .prepare(
      `SELECT s.token_hash, s.expires_at, u.id, u.username, u.member_id, m.tier
         FROM admin_sessions s JOIN admin_users u ON u.id = s.admin_id LEFT JOIN members m ON m.id = u.member_id
        WHERE s.token_hash = ? AND u.disabled = 0 AND NOT ${linkedMemberBlocked("u")}`,
    )
    .bind(tokenHash)
    .first<SessionRow>();
  if (!row || row.expires_at <= now) return null;
  return {
    tokenHash,
    expiresAt: row.expires_at,
    csrfToken: await csrfTokenFor(token),
    admin: { id: row.id, username: row.username, memberId: row.member_id, tier: row.tier ?? "member" },
  };
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedCookie(name: string): string {
  return `${name}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

export function readCookie(header: string | undefined | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A browser request from another site carries that site's Origin (or Sec-Fetch-Site: cross-site).
 * Requests without either (curl, server-side clients) still need the CSRF token.
 */
export function isSameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (origin) return origin === new URL(req.url).origin;
  const site = req.headers.get("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

export function tokensEqual(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const encoder = new TextEncoder();
  return timingSafeEqual(encoder.encode(a), encoder.encode(b));
}
