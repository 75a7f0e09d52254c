import { auditStatement, auditStatementIf } from "../audit/log";
import { burnPasswordCheck, verifyPassword } from "./password";
import { sha256Hex } from "../http/encoding";
import { clearedCookie, csrfTokenFor, insertSessionStatement, newSessionToken, SESSION_COOKIE, SESSION_TTL_MS } from "./session";
import { matchTotpStep } from "./totp";

/** Five wrong attempts in a row lock the account for fifteen minutes. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export type LoginInput = { username: string; password: string; code: string };
export type LoginContext = { now?: number; requestId?: string; userAgent?: string };
export type LoginResult =
  | { ok: true; adminId: string; token: string; csrfToken: string; expiresAt: number }
  | { ok: false; reason: "unknown_user" | "locked" | "disabled" | "password" | "totp" | "totp_replay" };

type AdminRow = {
  id: string;
  password_hash: string;
  totp_secret: string;
  totp_last_step: number;
  failed_attempts: number;
  locked_until: number | null;
  disabled: number;
};

/**
 * Password and TOTP checked together; every outcome is audited in the same batch as its state change.
 * The caller shows one generic message for every failure, so nobody learns which usernames exist.
 */
export async function attemptLogin(d1: D1Database, input: LoginInput, ctx: LoginContext = {}): Promise<LoginResult> {
  const now = ctx.now ?? Date.now();
  const audit = (actorId: string, actorKind: "admin" | "system", action: string, targetId: string, after: unknown) =>
    auditStatement(d1, { actorId, actorKind, action, targetType: "admin_user", targetId, after, requestId: ctx.requestId });

  const admin = await d1
    .prepare("SELECT id, password_hash, totp_secret, totp_last_step, failed_attempts, locked_until, disabled FROM admin_users WHERE username = ?")
    .bind(input.username)
    .first<AdminRow>();

  if (!admin) {
    await burnPasswordCheck(input.password);
    await d1.batch([audit("anonymous", "system", "admin.login_failed", `username:${input.username}`, { reason: "unknown_user" })]);
    return { ok: false, reason: "unknown_user" };
  }

  const blocked = admin.disabled ? "disabled" : admin.locked_until !== null && admin.locked_until > now ? "locked" : null;
  if (blocked) {
    // No verification while locked: a locked account gives a guesser no signal, and the counter stays put.
    await burnPasswordCheck(input.password);
    await d1.batch([audit(admin.id, "admin", "admin.login_failed", admin.id, { reason: blocked })]);
    return { ok: false, reason: blocked };
  }

  const passwordOk = await verifyPassword(input.password, admin.password_hash);
  const step = matchTotpStep(admin.totp_secret, input.code, now);
  const failure = !passwordOk ? "password" : step === null ? "totp" : step <= admin.totp_last_step ? "totp_replay" : null;

  if (failure || step === null) {
    const reason = failure ?? "totp";
    const lockedUntil = now + LOCKOUT_MS;
    const statements = [
      // Counted in SQL (SET reads the old row), so concurrent failures cannot lose a count.
      d1
        .prepare(
          `UPDATE admin_users SET
             failed_attempts = CASE WHEN failed_attempts + 1 >= ? THEN 0 ELSE failed_attempts + 1 END,
             locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END
           WHERE id = ?`,
        )
        .bind(MAX_FAILED_ATTEMPTS, MAX_FAILED_ATTEMPTS, lockedUntil, admin.id),
      audit(admin.id, "admin", "admin.login_failed", admin.id, { reason }),
      // Recorded by whichever failure the database counted as the locking one, even among concurrent ones.
      auditStatementIf(
        d1,
        { actorId: admin.id, actorKind: "admin", action: "admin.locked_out", targetType: "admin_user", targetId: admin.id, after: { lockedUntil: new Date(lockedUntil).toISOString() }, requestId: ctx.requestId },
        "EXISTS (SELECT 1 FROM admin_users WHERE id = ? AND failed_attempts = 0 AND locked_until = ?)",
        admin.id,
        lockedUntil,
      ),
    ];
    await d1.batch(statements);
    return { ok: false, reason };
  }

  const token = newSessionToken();
  const tokenHash = await sha256Hex(token);
  try {
    await d1.batch([
      insertSessionStatement(d1, { tokenHash, adminId: admin.id, totpStep: step, now, userAgent: ctx.userAgent ?? "" }),
      d1
        .prepare("UPDATE admin_users SET failed_attempts = 0, locked_until = NULL, totp_last_step = ?, last_login_at = ? WHERE id = ?")
        .bind(step, now, admin.id),
      // Expired sessions of this admin go with each new login, so the table stays small without a job.
      d1.prepare("DELETE FROM admin_sessions WHERE admin_id = ? AND expires_at <= ?").bind(admin.id, now),
      audit(admin.id, "admin", "admin.login", admin.id, { sessionExpiresAt: new Date(now + SESSION_TTL_MS).toISOString() }),
    ]);
  } catch (e) {
    // Only a concurrent login that used the same TOTP step first gets here (see insertSessionStatement).
    if (!String(e).includes("NOT NULL")) throw e;
    await d1.batch([audit(admin.id, "admin", "admin.login_failed", admin.id, { reason: "totp_replay" })]);
    return { ok: false, reason: "totp_replay" };
  }
  return { ok: true, adminId: admin.id, token, csrfToken: await csrfTokenFor(token), expiresAt: now + SESSION_TTL_MS };
}

/** Ends the session: the row goes, the logout is audited, the cookie is cleared by the caller. */
export async function logout(d1: D1Database, s: { tokenHash: string; adminId: string; requestId?: string }) {
  await d1.batch([
    d1.prepare("DELETE FROM admin_sessions WHERE token_hash = ?").bind(s.tokenHash),
    auditStatement(d1, { actorId: s.adminId, actorKind: "admin", action: "admin.logout", targetType: "admin_user", targetId: s.adminId, requestId: s.requestId }),
  ]);
  return clearedCookie(SESSION_COOKIE);
}
