import { auditStatement, auditStatementIf } from "../audit/log";
import { burnPasswordCheck, verifyPassword } from "./password";
import { sha256Hex } from "../http/encoding";
import { clearedCookie, csrfTokenFor, insertSessionStatement, linkedMemberBlocked, newSessionToken, SESSION_COOKIE, SESSION_TTL_MS } from "./session";
import { matchTotpStep } from "./totp";

/** Five wrong attempts in a row lock the account for fifteen minutes. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export type LoginInput = { username: string; password: string; code: string };
export type LoginContext = { now?: number; requestId?: string; userAgent?: string };
export type LoginResult =
  | { ok: true; adminId: string; token: string; csrfToken: string; expiresAt: number }
  | { ok: false; reason: "unknown_user" | "locked" | "disabled" | "password" | "totp" | "totp_replay" };

type ClaimedAdmin = { id: string; password_hash: string; totp_secret: string; totp_last_step: number };

/**
 * Password and TOTP checked together; every outcome is audited in the same batch as its state change.
 * The caller shows one generic message for every failure, so nobody learns which usernames exist.
 *
 * Safe against parallel guessing: each attempt is counted (claimed) in one conditional UPDATE before its
 * password is checked, and a claim is refused once MAX_FAILED_ATTEMPTS attempts are counted — failed or
 * still in flight — so however many arrive at once, at most that many passwords are ever checked (an attempt
 * that dies in flight stays counted, as a failure would). A success
 * resets the count, and its session is inserted only while the account is not locked (see
 * insertSessionStatement), so an attempt that was overtaken by the lock gets no session.
 */
export async function attemptLogin(d1: D1Database, input: LoginInput, ctx: LoginContext = {}): Promise<LoginResult> {
  const now = ctx.now ?? Date.now();
  const audit = (actorId: string, actorKind: "admin" | "system", action: string, targetId: string, after: unknown) =>
    auditStatement(d1, { actorId, actorKind, action, targetType: "admin_user", targetId, after, requestId: ctx.requestId });
  const failed = (adminId: string, reason: string) => audit(adminId, "admin", "admin.login_failed", adminId, { reason });

  const [claim, account] = await d1.batch([
    d1
      .prepare(
        `UPDATE admin_users SET failed_attempts = failed_attempts + 1
          WHERE username = ?1 AND disabled = 0 AND NOT ${linkedMemberBlocked("admin_users")} AND (locked_until IS NULL OR locked_until <= ?2) AND failed_attempts < ?3
          RETURNING id, password_hash, totp_secret, totp_last_step`,
      )
      .bind(input.username, now, MAX_FAILED_ATTEMPTS),
    d1.prepare(`SELECT id, disabled OR ${linkedMemberBlocked("admin_users")} AS disabled FROM admin_users WHERE username = ?`).bind(input.username),
  ]);
  const admin = (claim.results as ClaimedAdmin[])[0];

  if (!admin) {
    // No verification without a claim: a locked account gives a guesser no signal, and the counter stays put.
    await burnPasswordCheck(input.password);
    const found = (account.results as Array<{ id: string; disabled: number }>)[0];
    if (!found) {
      await d1.batch([audit("anonymous", "system", "admin.login_failed", `username:${input.username}`, { reason: "unknown_user" })]);
      return { ok: false, reason: "unknown_user" };
    }
    if (found.disabled) {
      await d1.batch([failed(found.id, "disabled")]);
      return { ok: false, reason: "disabled" };
    }
    // Locked, or the allowed attempts are all counted (some still in flight): lock now if not yet locked.
    await d1.batch([...lockIfExhausted(d1, found.id, now, ctx.requestId), failed(found.id, "locked")]);
    return { ok: false, reason: "locked" };
  }

  const passwordOk = await verifyPassword(input.password, admin.password_hash);
  const step = matchTotpStep(admin.totp_secret, input.code, now);
  const failure = !passwordOk ? "password" : step === null ? "totp" : step <= admin.totp_last_step ? "totp_replay" : null;

  if (failure || step === null) {
    const reason = failure ?? "totp";
    // The claim already counted this attempt; the failure that finds the count exhausted locks the account.
    await d1.batch([...lockIfExhausted(d1, admin.id, now, ctx.requestId), failed(admin.id, reason)]);
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
    // Only a login overtaken by a concurrent one gets here (see insertSessionStatement): the lock, a disabling,
    // or another login that used the same TOTP step first.
    if (!String(e).includes("NOT NULL")) throw e;
    const current = await d1.prepare("SELECT disabled, locked_until FROM admin_users WHERE id = ?").bind(admin.id).first<{ disabled: number; locked_until: number | null }>();
    const reason = current?.disabled ? "disabled" : current?.locked_until != null && current.locked_until > now ? "locked" : "totp_replay";
    await d1.batch([failed(admin.id, reason)]);
    return { ok: false, reason };
  }
  return { ok: true, adminId: admin.id, token, csrfToken: await csrfTokenFor(token), expiresAt: now + SESSION_TTL_MS };
}

/**
 * Locks the account when MAX_FAILED_ATTEMPTS attempts are counted, and records the lock-out only if this
 * statement set it (`changes()` of the UPDATE just before), so concurrent attempts record it once.
 */
function lockIfExhausted(d1: D1Database, adminId: string, now: number, requestId: string | undefined): D1PreparedStatement[] {
  const lockedUntil = now + LOCKOUT_MS;
  return [
    d1
      .prepare(
        `UPDATE admin_users SET failed_attempts = 0, locked_until = ?1
          WHERE id = ?2 AND failed_attempts >= ?3 AND (locked_until IS NULL OR locked_until <= ?4)`,
      )
      .bind(lockedUntil, adminId, MAX_FAILED_ATTEMPTS, now),
    auditStatementIf(
      d1,
      { actorId: adminId, actorKind: "admin", action: "admin.locked_out", targetType: "admin_user", targetId: adminId, after: { lockedUntil: new Date(lockedUntil).toISOString() }, requestId },
      "changes() = 1",
    ),
  ];
}

/** Ends the session: the row goes, the logout is audited, the cookie is cleared by the caller. */
export async function logout(d1: D1Database, s: { tokenHash: string; adminId: string; requestId?: string }) {
  await d1.batch([
    d1.prepare("DELETE FROM admin_sessions WHERE token_hash = ?").bind(s.tokenHash),
    auditStatement(d1, { actorId: s.adminId, actorKind: "admin", action: "admin.logout", targetType: "admin_user", targetId: s.adminId, requestId: s.requestId }),
  ]);
  return clearedCookie(SESSION_COOKIE);
}
