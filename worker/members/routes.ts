import { createRoute } from "@hono/zod-openapi";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { identity, issueToken, requireIdentity, requireMember, TOKEN_TTL_SECONDS } from "../http/auth";
import { memberBlocked } from "../http/authority";
import { ApiError, problemResponses } from "../http/problem";
import { createRouter, json } from "../http/router";
import { code2Session, wechatConfig } from "../wechat/code2session";
import { inviteCodeFromScene, normalizeInviteCode, pathFor, sceneFor } from "./invite";
import { bindReferrer, type BindingSource } from "./referral";
import {
  BindReferrerBodySchema,
  BindReferrerResultSchema,
  InviteSchema,
  LoginBodySchema,
  LoginResultSchema,
  MemberProfileSchema,
  PhoneBodySchema,
  ProfilePatchSchema,
} from "./schemas";
import { getPhoneNumber } from "../wechat/phone-number";
import { loadProfile, updateProfile, upsertMemberByOpenid } from "./service";
import { sealedPhone } from "./phone";


const login = createRoute({
  method: "post",
  path: "/api/auth/wechat",
  tags: ["members"],
  summary: "Log in with a wx.login code (binds the invite code or scene when given)",
  // No Idempotency-Key: a stored answer would be a token, replayable by whoever sends the same key and code,
  // and an anonymous key would be shared by every caller. Login is idempotent by itself (upsert by openid);
  // a retry after a lost answer logs in again, with a fresh wx.login code.
  request: { body: { required: true, content: { "application/json": { schema: LoginBodySchema } } } },
  responses: { 200: json(LoginResultSchema, "Logged in"), ...problemResponses(400, 403, 422, 429, 502, 503) },
});

const me = createRoute({
  method: "get",
  path: "/api/me",
  tags: ["members"],
  summary: "The caller's profile, tier, referrer and roles",
  security: [{ bearer: [] }],
  middleware: [requireIdentity] as const,
  responses: { 200: json(MemberProfileSchema, "Profile"), ...problemResponses(401, 403) },
});

const invite = createRoute({
  method: "get",
  path: "/api/me/invite",
  tags: ["members"],
  summary: "What to share: invite code, mini-program code scene and page path",
  security: [{ bearer: [] }],
  middleware: [requireIdentity] as const,
  responses: { 200: json(InviteSchema, "Invite"), ...problemResponses(401, 403) },
});

const bind = createRoute({
  method: "post",
  path: "/api/me/referrer",
  tags: ["members"],
  summary: "Bind the caller to the owner of an invite code",
  security: [{ bearer: [] }],
  middleware: [requireIdentity, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { "application/json": { schema: BindReferrerBodySchema } } } },
  responses: { 200: json(BindReferrerResultSchema, "Bound (or already bound to this referrer)"), ...problemResponses(400, 401, 403, 404, 409, 422) },
});

const patchMe = createRoute({
  method: "patch",
  path: "/api/me",
  tags: ["members"],
  summary: "Set the caller's nickname and avatar",
  security: [{ bearer: [] }],
  middleware: [requireIdentity] as const,
  request: { body: { required: true, content: { "application/json": { schema: ProfilePatchSchema } } } },
  responses: { 200: json(MemberProfileSchema, "Profile"), ...problemResponses(400, 401, 403, 422) },
});

const phone = createRoute({
  method: "post",
  path: "/api/me/phone",
  tags: ["members"],
  summary: "Store the caller's phone number from a getPhoneNumber button's code",
  security: [{ bearer: [] }],
  middleware: [requireMember, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { "application/json": { schema: PhoneBodySchema } } } },
  responses: { 200: json(MemberProfileSchema, "Profile with the phone number"), ...problemResponses(400, 401, 403, 422, 429, 502, 503) },
});

export const memberRoutes = createRouter()
  .openapi(login, async (c) => {
    const { code, inviteCode, scene } = c.req.valid("json");
    const session = await code2Session(wechatConfig(c.env), code);
    const member = await upsertMemberByOpenid(c.var.db, session);
    // A blocked member gets no token (and binds no referrer); the row just upserted says so.
    if (member.blockedAt) throw memberBlocked();

    let referral: { status: "bound" | "unchanged" | "refused"; reason?: string } | null = null;
    const invited: [string, BindingSource] | null = inviteCode
      ? [normalizeInviteCode(inviteCode), "invite_code"]
      : scene
        ? [inviteCodeFromScene(scene) ?? "", "scene"]
        : null;
    if (invited) {
      // A bad or stale invite never blocks the login itself; the outcome tells the client what happened.
      try {
        referral = { status: (await bindReferrer(c.env.DB, member.id, invited[0], invited[1])).status };
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
        referral = { status: "refused", reason: `/problems/${e.code}` };
      }
    }
    const token = await issueToken(c.env, { memberId: member.id });
    c.var.log.info("login", { memberId: member.id, referral: referral?.status });
    return c.json({ token, expiresIn: TOKEN_TTL_SECONDS, member: await loadProfile(c.var.db, member.id, c.env), referral }, 200);
  })
  .openapi(me, async (c) => c.json(await loadProfile(c.var.db, identity(c).memberId, c.env), 200))
  .openapi(invite, async (c) => {
    const { inviteCode } = await loadProfile(c.var.db, identity(c).memberId, c.env);
    return c.json({ inviteCode, scene: sceneFor(inviteCode), path: pathFor(inviteCode) }, 200);
  })
  .openapi(bind, async (c) => {
    const memberId = identity(c).memberId;
    const { inviteCode } = c.req.valid("json");
    const outcome = await bindReferrer(c.env.DB, memberId, normalizeInviteCode(inviteCode), "invite_code");
    return c.json({ status: outcome.status, member: await loadProfile(c.var.db, memberId, c.env) }, 200);
  })
  .openapi(patchMe, async (c) => {
    const memberId = identity(c).memberId;
    await updateProfile(c.var.db, memberId, c.req.valid("json"));
    return c.json(await loadProfile(c.var.db, memberId, c.env), 200);
  })
  .openapi(phone, async (c) => {
    const memberId = identity(c).memberId;
    const { phoneNumber } = await getPhoneNumber(c.env.DB, wechatConfig(c.env), c.req.valid("json").code);
    await updateProfile(c.var.db, memberId, await sealedPhone(c.env, memberId, phoneNumber));
    return c.json(await loadProfile(c.var.db, memberId, c.env), 200);
  });
