import { createMiddleware } from "hono/factory";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import type { AppEnv } from "./context";
import { ApiError } from "./problem";
import { PARTNER_TIERS, ROLES, TIERS, type Principal, type Role, type Tier } from "./principal";

export { PARTNER_TIERS, ROLES, TIERS, type Principal, type Role, type Tier } from "./principal";

/** Access tokens are short-lived; the mini-program logs in again (wx.login is silent) when one expires. */
export const TOKEN_TTL_SECONDS = 2 * 60 * 60;

type JwtConfig = Pick<Env, "JWT_SECRET" | "JWT_ISSUER" | "JWT_AUDIENCE">;

function key(env: JwtConfig) {
  if (!env.JWT_SECRET || env.JWT_SECRET.length < 32) throw new Error("JWT_SECRET must be set (32+ characters)");
  return new TextEncoder().encode(env.JWT_SECRET);
}

export async function issueToken(env: JwtConfig, p: Principal, now = Date.now()): Promise<string> {
  return new SignJWT({ tier: p.tier, roles: p.roles })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(p.memberId)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + TOKEN_TTL_SECONDS)
    .sign(key(env));
}

export async function verifyToken(env: JwtConfig, token: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, key(env), {
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      algorithms: ["HS256"],
      requiredClaims: ["sub", "exp", "iat"],
    });
    const tier = TIERS.includes(payload.tier as Tier) ? (payload.tier as Tier) : null;
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : null;
    if (!payload.sub || !tier || !roles) throw ApiError.unauthorized("The token's claims are malformed.");
    return { memberId: payload.sub, tier, roles };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (e instanceof joseErrors.JWTExpired) throw ApiError.unauthorized("The token has expired; log in again.");
    throw ApiError.unauthorized("The token is not valid.");
  }
}

function bearer(header: string | undefined) {
  const m = header?.match(/^Bearer\s+([A-Za-z0-9_.-]+)$/);
  return m?.[1];
}

/** Sets `c.var.principal` when a valid token is present; never rejects (for routes open to anyone). */
export const optionalMember = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (token) c.set("principal", await verifyToken(c.env, token));
  await next();
});

export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  c.set("principal", await verifyToken(c.env, token));
  await next();
});

export const requirePartner = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  const p = await verifyToken(c.env, token);
  if (!PARTNER_TIERS.includes(p.tier)) throw ApiError.forbidden("Only partners (推广员及以上) can use this.");
  c.set("principal", p);
  await next();
});

/** Resolves a caller without a bearer token from a cookie (the admin console's session); throws when there is none. */
export type CookiePrincipal = (req: Request, d1: D1Database) => Promise<Principal>;
let cookiePrincipal: CookiePrincipal | undefined;

/** Set at app assembly (worker/app.ts), so this layer never imports the console. */
export function useCookiePrincipal(resolve: CookiePrincipal) {
  cookiePrincipal = resolve;
}

/** A bearer JWT with the admin role, or (without a bearer) the admin console's session cookie. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (!token) {
    if (!cookiePrincipal) throw ApiError.unauthorized();
    c.set("principal", await cookiePrincipal(c.req.raw, c.env.DB));
    return next();
  }
  const p = await verifyToken(c.env, token);
  if (!p.roles.includes("admin")) throw ApiError.forbidden("Admins only.");
  c.set("principal", p);
  await next();
});

/** The authenticated caller; only call behind one of the require* middlewares. */
export function principal(c: { get(key: "principal"): Principal | undefined }): Principal {
  const p = c.get("principal");
  if (!p) throw ApiError.unauthorized();
  return p;
}
