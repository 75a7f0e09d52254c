import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import type { AppEnv } from "./context";
import { ApiError } from "./problem";
import { loadPrincipal } from "./authority";
import { refuseBeforeInputErrors } from "./router";
import { PARTNER_TIERS, ROLES, rolesOf, TIERS, type Identity, type Principal, type Role, type Tier } from "./principal";

export { PARTNER_TIERS, ROLES, rolesOf, TIERS, type Identity, type Principal, type Role, type Tier };

/** Access tokens are short-lived; the mini-program logs in again (wx.login is silent) when one expires. */
export const TOKEN_TTL_SECONDS = 2 * 60 * 60;

type JwtConfig = Pick<Env, "JWT_SECRET" | "JWT_ISSUER" | "JWT_AUDIENCE">;

/** The HMAC key, imported once per isolate and secret rather than on every request (jose would import raw bytes each time). */
let imported: { secret: string; key: Promise<CryptoKey> } | undefined;

function key(env: JwtConfig): Promise<CryptoKey> {
  if (!env.JWT_SECRET || env.JWT_SECRET.length < 32) throw new Error("JWT_SECRET must be set (32+ characters)");
  if (imported?.secret !== env.JWT_SECRET) {
    const raw = new TextEncoder().encode(env.JWT_SECRET);
    imported = { secret: env.JWT_SECRET, key: crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]) };
  }
  return imported.key;
}

/**
 * The token carries the member id only: tier and roles change (an admin revokes a role, a tier is downgraded)
 * and must take effect on the next request, so they are read from D1 there. Extra fields of `p` are ignored.
 */
export async function issueToken(env: JwtConfig, p: Identity & Partial<Principal>, now = Date.now()): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(p.memberId)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + TOKEN_TTL_SECONDS)
    .sign(await key(env));
}

export async function verifyToken(env: JwtConfig, token: string): Promise<Identity> {
  try {
    const { payload } = await jwtVerify(token, await key(env), {
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      algorithms: ["HS256"],
      requiredClaims: ["sub", "exp", "iat"],
    });
    if (!payload.sub) throw ApiError.unauthorized("The token's claims are malformed.");
    return { memberId: payload.sub };
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

/**
 * Sets `c.var.identity` when a valid token is present; never rejects (for routes open to anyone). The route's
 * own query must read the caller's authority (authorityQuery) before using tier or roles.
 */
export const optionalIdentity = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (token) c.set("identity", await verifyToken(c.env, token));
  await next();
});

/**
 * A valid token, nothing read yet: for hot routes whose service joins `authorityQuery` into the one batch it
 * already runs (and refuses a blocked member there). Handlers get the caller with `identity(c)`.
 */
export const requireIdentity = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  c.set("identity", await verifyToken(c.env, token));
  await next();
});

async function livePrincipal(c: Context<AppEnv>): Promise<Principal> {
  const token = bearer(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  const id = await verifyToken(c.env, token);
  c.set("identity", id);
  return loadPrincipal(c.env.DB, id);
}

/** A valid token of a member who exists and is not blocked; one D1 read for tier and roles. */
export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
  c.set("principal", await livePrincipal(c));
  await next();
});

/** The caller when their live tier is a partner's; 403 otherwise (for services that read the authority in their own batch). */
export function partnerOnly(p: Principal): Principal {
  if (!PARTNER_TIERS.includes(p.tier)) throw ApiError.forbidden("Only partners (推广员及以上) can use this.");
  return p;
}

export const requirePartner = createMiddleware<AppEnv>(async (c, next) => {
  c.set("principal", partnerOnly(await livePrincipal(c)));
  await next();
});

/**
 * For a partner route whose service reads the caller's authority in its own batch (behind `requireIdentity`): the
 * same 401/403 as `requirePartner` in place of an input error, so a refused caller learns nothing from bad input.
 */
export const partnerBeforeInputErrors = refuseBeforeInputErrors(async (c) => {
  partnerOnly(await loadPrincipal(c.env.DB, identity(c)));
});

/** Resolves a caller without a bearer token from a cookie (the admin console's session); throws when there is none. */
export type CookiePrincipal = (req: Request, d1: D1Database) => Promise<Principal>;
let cookiePrincipal: CookiePrincipal | undefined;

/** Set at app assembly (worker/app.ts), so this layer never imports the console. */
export function useCookiePrincipal(resolve: CookiePrincipal) {
  cookiePrincipal = resolve;
}

/**
 * A bearer token of a member who holds the admin role in D1 now (not when the token was issued), or (without
 * a bearer) the admin console's session cookie.
 */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!bearer(c.req.header("authorization"))) {
    if (!cookiePrincipal) throw ApiError.unauthorized();
    const p = await cookiePrincipal(c.req.raw, c.env.DB);
    c.set("identity", { memberId: p.memberId });
    c.set("principal", p);
    return next();
  }
  const p = await livePrincipal(c);
  if (!p.roles.includes("admin")) throw ApiError.forbidden("Admins only.");
  c.set("principal", p);
  await next();
});

/** The caller's verified identity; only call behind requireIdentity or a require* middleware. */
export function identity(c: { get(key: "identity"): Identity | undefined }): Identity {
  const id = c.get("identity");
  if (!id) throw ApiError.unauthorized();
  return id;
}

/** The authenticated caller; only call behind one of the require* middlewares. */
export function principal(c: { get(key: "principal"): Principal | undefined }): Principal {
  const p = c.get("principal");
  if (!p) throw ApiError.unauthorized();
  return p;
}
