import type { Principal } from "../http/auth";
import { ApiError } from "../http/problem";
import { CSRF_HEADER, isSameOrigin, loadSession, readCookie, SESSION_COOKIE, tokensEqual, type ConsoleSession } from "./session";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The console's cookie as an admin credential for /api/admin/*. A cookie is sent by the browser on its
 * own, so a state-changing request must also prove it came from a console page: same origin, and the
 * session's CSRF token in `X-CSRF-Token` (a page of another site can read neither).
 */
export async function consolePrincipal(req: Request, d1: D1Database): Promise<Principal> {
  const session = await loadSession(d1, readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  if (!session) throw ApiError.unauthorized();
  if (!SAFE_METHODS.has(req.method)) {
    if (!isSameOrigin(req)) throw ApiError.forbidden("Cross-site request refused.");
    if (!tokensEqual(req.headers.get(CSRF_HEADER), session.csrfToken)) throw ApiError.forbidden("The X-CSRF-Token header is missing or does not match the session.");
  }
  const { admin } = session;
  // Admins without a linked member act under their admin id; `adminId` always names the console user.
  return { memberId: admin.memberId ?? admin.id, tier: admin.tier, roles: ["admin"], adminId: admin.id };
}

/** The console user as the acting admin of a console form, named as the API's cookie principal names them. */
export function consoleActor(session: ConsoleSession): Principal {
  return { memberId: session.admin.memberId ?? session.admin.id, tier: session.admin.tier, roles: ["admin"], adminId: session.admin.id };
}
