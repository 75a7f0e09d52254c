import { z } from "@hono/zod-openapi";
import { TIERS, ROLES } from "../http/auth";

export const MemberProfileSchema = z
  .object({
    id: z.string(),
    nickname: z.string(),
    avatarUrl: z.string(),
    phone: z.string().nullable(),
    tier: z.enum(TIERS),
    roles: z.array(z.enum(ROLES)),
    inviteCode: z.string().openapi({ example: "K7P3QW9M" }),
    referrer: z.object({ id: z.string(), nickname: z.string(), avatarUrl: z.string() }).nullable(),
    boundAt: z.string().nullable().openapi({ description: "When the current referrer was bound (ISO-8601 UTC)" }),
    createdAt: z.string(),
  })
  .openapi("MemberProfile");

const InviteCodeInput = z.string().trim().min(4).max(32).openapi({ example: "K7P3QW9M" });

export const LoginBodySchema = z
  .object({
    code: z.string().min(1).max(128).openapi({ description: "The code from wx.login()", example: "sandbox:demo-member" }),
    inviteCode: InviteCodeInput.optional(),
    scene: z.string().min(1).max(128).optional().openapi({ description: "The mini-program code's scene, e.g. i%3DK7P3QW9M" }),
  })
  .openapi("WechatLogin");

export const ReferralOutcomeSchema = z
  .object({
    status: z.enum(["bound", "unchanged", "refused"]),
    reason: z.string().optional().openapi({ description: "Problem type when refused, e.g. /problems/referral-cycle" }),
  })
  .openapi("ReferralOutcome");

export const LoginResultSchema = z
  .object({
    token: z.string(),
    expiresIn: z.number().int().openapi({ description: "Seconds until the token expires" }),
    member: MemberProfileSchema,
    referral: ReferralOutcomeSchema.nullable().openapi({ description: "Outcome of binding the invite code or scene, when one was sent" }),
  })
  .openapi("LoginResult");

export const InviteSchema = z
  .object({
    inviteCode: z.string(),
    scene: z.string().max(32).openapi({ description: "For wxacode.getUnlimited (≤ 32 characters)", example: "i=K7P3QW9M" }),
    path: z.string().openapi({ example: "pages/index/index?inviteCode=K7P3QW9M" }),
  })
  .openapi("Invite");

export const BindReferrerBodySchema = z.object({ inviteCode: InviteCodeInput }).openapi("BindReferrer");

export const BindReferrerResultSchema = z
  .object({ status: z.enum(["bound", "unchanged"]), member: MemberProfileSchema })
  .openapi("BindReferrerResult");

export const ProfilePatchSchema = z
  .object({
    nickname: z.string().trim().min(1).max(32).optional().openapi({ description: "From the mini-program's nickname input (头像昵称填写)" }),
    avatarUrl: z.url({ protocol: /^https$/ }).max(512).optional(),
  })
  .refine((p) => p.nickname !== undefined || p.avatarUrl !== undefined, { message: "Send nickname, avatarUrl or both." })
  .openapi("ProfilePatch");

export const PhoneBodySchema = z
  .object({ code: z.string().min(1).max(128).openapi({ description: "The code of a getPhoneNumber button", example: "sandbox-phone:13800138000" }) })
  .openapi("PhoneCode");
