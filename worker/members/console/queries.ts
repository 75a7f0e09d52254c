import { and, asc, count, desc, eq, gt, gte, lt, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../../http/context";
import type { Tier } from "../../http/auth";
import { adminUsers, members } from "../../../schema";
import { auditPage } from "../../audit/queries";

/** Read side of the members console. Every list is keyset-paginated, so a page reads about its own rows. */
export const PAGE_SIZE = 20;

const referrer1 = alias(members, "referrer1");
const referrer2 = alias(members, "referrer2");

const memberColumns = {
  id: members.id,
  openid: members.openid,
  nickname: members.nickname,
  phone: members.phone,
  phoneCiphertext: members.phoneCiphertext,
  tier: members.tier,
  roles: members.roles,
  inviteCode: members.inviteCode,
  createdAt: members.createdAt,
  boundAt: members.boundAt,
  blockedAt: members.blockedAt,
  blockedReason: members.blockedReason,
  referrer1Id: referrer1.id,
  referrer1Nickname: referrer1.nickname,
  referrer2Id: referrer2.id,
  referrer2Nickname: referrer2.nickname,
};

export type MemberRow = Awaited<ReturnType<typeof searchMembers>>["items"][number];

/** Cursor: `<createdAt ms>.<id>` of the last row shown. */
export function parseMemberCursor(cursor: string | undefined) {
  const m = cursor?.match(/^(\d{1,15})\.([A-Za-z0-9_:.-]{1,64})$/);
  return m ? { createdAt: new Date(Number(m[1])), id: m[2] } : null;
}

export type MemberFilter = { q?: string; tier?: Tier; fromMs?: number; toMs?: number; phoneHash?: string };

/**
 * The list's and the export's one filter: `q` matches part of the nickname, or exactly an openid, phone, id or invite
 * code (an encrypted phone number through its keyed hash, `phoneHash`); `tier`; joined in [fromMs, toMs).
 */
function memberFilter(f: MemberFilter) {
  const term = f.q?.trim() ?? "";
  const pattern = `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const match = term
    ? or(
        sql`${members.nickname} LIKE ${pattern} ESCAPE '\\'`,
        eq(members.openid, term),
        eq(members.phone, term),
        ...(f.phoneHash ? [eq(members.phoneHash, f.phoneHash)] : []),
        eq(members.id, term),
        eq(members.inviteCode, term),
      )
    : undefined;
  return and(
    match,
    f.tier ? eq(members.tier, f.tier) : undefined,
    f.fromMs !== undefined ? gte(members.createdAt, new Date(f.fromMs)) : undefined,
    f.toMs !== undefined ? lt(members.createdAt, new Date(f.toMs)) : undefined,
  );
}

/** Members newest first, filtered (see memberFilter). Each row carries its referrer and its referrer's referrer (two levels: the commission cap). */
export async function searchMembers(db: Db, f: MemberFilter, cursor?: string, limit = PAGE_SIZE) {
  const after = parseMemberCursor(cursor);
  const page = after
    ? or(lt(members.createdAt, after.createdAt), and(eq(members.createdAt, after.createdAt), lt(members.id, after.id)))
    : undefined;
  const rows = await db
    .select(memberColumns)
    .from(members)
    .leftJoin(referrer1, eq(referrer1.id, members.referrerId))
    .leftJoin(referrer2, eq(referrer2.id, referrer1.referrerId))
    .where(and(memberFilter(f), page))
    .orderBy(desc(members.createdAt), desc(members.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? `${last.createdAt.getTime()}.${last.id}` : null };
}

/** A chunk of the members export: the same filter, keyset on the primary key (rows read ≤ size). */
export async function memberExportChunk(db: Db, f: MemberFilter, afterId: string | null, size: number) {
  return db
    .select(memberColumns)
    .from(members)
    .leftJoin(referrer1, eq(referrer1.id, members.referrerId))
    .leftJoin(referrer2, eq(referrer2.id, referrer1.referrerId))
    .where(and(memberFilter(f), afterId === null ? undefined : gt(members.id, afterId)))
    .orderBy(asc(members.id))
    .limit(size);
}

/** One member with the two-level referrer chain, their direct invitees and the audit entries about them. */
export async function memberDetail(db: Db, id: string) {
  const [member] = await db
    .select({ ...memberColumns, unionid: members.unionid, avatarUrl: members.avatarUrl })
    .from(members)
    .leftJoin(referrer1, eq(referrer1.id, members.referrerId))
    .leftJoin(referrer2, eq(referrer2.id, referrer1.referrerId))
    .where(eq(members.id, id));
  if (!member) return null;
  const [invitees, [level1], [level2], history, admins] = await Promise.all([
    db
      .select({ id: members.id, nickname: members.nickname, tier: members.tier, boundAt: members.boundAt })
      .from(members)
      .where(eq(members.referrerId, id))
      .orderBy(desc(members.boundAt))
      .limit(PAGE_SIZE),
    db.select({ n: count() }).from(members).where(eq(members.referrerId, id)),
    db
      .select({ n: count() })
      .from(members)
      .innerJoin(referrer1, eq(referrer1.id, members.referrerId))
      .where(eq(referrer1.referrerId, id)),
    auditPage(db, { targetType: "member", targetId: id }, undefined, PAGE_SIZE),
    db.select({ id: adminUsers.id, username: adminUsers.username }).from(adminUsers).where(eq(adminUsers.memberId, id)),
  ]);
  return { member, invitees, level1Count: level1.n, level2Count: level2.n, history: history.items, linkedAdmins: admins };
}
