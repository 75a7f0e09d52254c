import { and, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { members } from "../../schema";
import { rolesOf, type Principal, type Role } from "../http/auth";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import type { WechatSession } from "../wechat/code2session";
import { memberBlocked } from "../http/authority";
import { newInviteCode } from "./invite";

export type MemberRow = typeof members.$inferSelect;

export type MemberProfile = {
  id: string;
  nickname: string;
  avatarUrl: string;
  phone: string | null;
  tier: MemberRow["tier"];
  roles: Role[];
  inviteCode: string;
  referrer: { id: string; nickname: string; avatarUrl: string } | null;
  boundAt: string | null;
  createdAt: string;
};

export { rolesOf };

function isUniqueViolation(e: unknown, column: string) {
  const text = `${(e as Error)?.message ?? ""} ${String((e as { cause?: unknown })?.cause ?? "")}`;
  return text.includes("UNIQUE constraint failed") && text.includes(column);
}

/**
 * Creates the member on first login or refreshes the unionid, in one statement keyed by openid, so two
 * simultaneous first logins of one person still make one member.
 */
export async function upsertMemberByOpenid(db: Db, session: WechatSession, now = Date.now()): Promise<MemberRow> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [row] = await db
        .insert(members)
        .values({ id: crypto.randomUUID(), openid: session.openid, unionid: session.unionid, inviteCode: newInviteCode(), createdAt: new Date(now) })
        .onConflictDoUpdate({ target: members.openid, set: { unionid: sql`coalesce(excluded.unionid, ${members.unionid})` } })
        .returning();
      return row;
    } catch (e) {
      // 40 random bits make a clash rare; a clash only costs another draw.
      if (attempt < 3 && isUniqueViolation(e, "invite_code")) continue;
      throw e;
    }
  }
}

/** A blocked member's profile is not changed: the guard is in the UPDATE itself, so it costs no extra read. */
export async function updateProfile(db: Db, memberId: string, patch: { nickname?: string; avatarUrl?: string; phone?: string }) {
  const [row] = await db.update(members).set(patch).where(and(eq(members.id, memberId), isNull(members.blockedAt))).returning({ id: members.id });
  if (row) return;
  const [exists] = await db.select({ id: members.id }).from(members).where(eq(members.id, memberId));
  if (exists) throw memberBlocked();
  throw ApiError.unauthorized("This member no longer exists; log in again.");
}

const referrers = alias(members, "referrer");

export async function loadProfile(db: Db, memberId: string): Promise<MemberProfile> {
  const [row] = await db
    .select({ member: members, referrer: { id: referrers.id, nickname: referrers.nickname, avatarUrl: referrers.avatarUrl } })
    .from(members)
    .leftJoin(referrers, eq(referrers.id, members.referrerId))
    .where(eq(members.id, memberId));
  if (!row) throw ApiError.unauthorized("This member no longer exists; log in again.");
  // The member row read here is the caller's authority too: a blocked member is refused in the same round trip.
  if (row.member.blockedAt) throw memberBlocked();
  return toProfile(row.member, row.referrer);
}

export function toProfile(m: MemberRow, referrer: MemberProfile["referrer"]): MemberProfile {
  return {
    id: m.id,
    nickname: m.nickname,
    avatarUrl: m.avatarUrl,
    phone: m.phone,
    tier: m.tier,
    roles: rolesOf(m.roles),
    inviteCode: m.inviteCode,
    referrer: referrer?.id ? referrer : null,
    boundAt: m.boundAt ? m.boundAt.toISOString() : null,
    createdAt: m.createdAt.toISOString(),
  };
}
