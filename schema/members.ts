import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A person who logged in with WeChat. Tier and roles decide what they may do. */
export const members = sqliteTable(
  "members",
  {
    id: text().primaryKey(),
    openid: text().notNull().unique(),
    unionid: text(),
    nickname: text().notNull().default(""),
    avatarUrl: text().notNull().default(""),
    /** Legacy clear-text phone; cleared once `phoneCiphertext` holds it. */
    phone: text(),
    /** The phone number AES-GCM encrypted at rest, and its keyed hash (HMAC) so the console can search by it. */
    phoneCiphertext: text(),
    phoneHash: text(),
    tier: text({ enum: ["member", "promoter", "channel_partner", "shareholder"] }).notNull().default("member"),
    /** JSON array of roles, e.g. ["admin"]; granted only by an admin or the seed/CLI. */
    roles: text({ mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    referrerId: text(),
    /**
     * The referrer's referrer, kept by triggers (migration `team_level_two`) whoever writes `referrer_id`: a partner's
     * level-2 team is then one index range (members_referrer2_joined_idx), not every level-1 member's team merged.
     */
    referrer2Id: text(),
    boundAt: integer({ mode: "timestamp_ms" }),
    /** Short, random, unique; shared in links and mini-program codes. */
    inviteCode: text().notNull().unique(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** Set by an admin: login and every member route are refused until it is cleared (unblock). */
    blockedAt: integer({ mode: "timestamp_ms" }),
    blockedReason: text(),
  },
  (t) => [
    // A partner's team, newest first by when they joined it (worker/commissions/partner.ts orders by this very
    // expression — coalesce(bound_at, created_at) spelt without a comma, which drizzle-kit would split): a page is
    // read straight off the index instead of sorting the whole team. Its prefix serves every lookup by referrer.
    index("members_referrer_joined_idx").on(t.referrerId, sql`(CASE WHEN ${t.boundAt} IS NULL THEN ${t.createdAt} ELSE ${t.boundAt} END)`, t.id),
    index("members_referrer2_joined_idx").on(t.referrer2Id, sql`(CASE WHEN ${t.boundAt} IS NULL THEN ${t.createdAt} ELSE ${t.boundAt} END)`, t.id),
    index("members_phone_idx").on(t.phone), index("members_phone_hash_idx").on(t.phoneHash),
    // New members per day on the console's dashboard, and the members list's joined-date filter.
    index("members_created_idx").on(t.createdAt),
  ],
);

/** Every referral binding ever made, with where it came from; the member row holds the current one. */
export const referralBindings = sqliteTable(
  "referral_bindings",
  {
    id: text().primaryKey(),
    memberId: text().notNull(),
    referrerId: text().notNull(),
    source: text({ enum: ["invite_code", "scene", "admin", "seed"] }).notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("referral_bindings_member_idx").on(t.memberId, t.createdAt)],
);

/** Admin-set configuration (protection period, commission rates, …) as key → JSON value. */
export const settings = sqliteTable("settings", {
  key: text().primaryKey(),
  value: text({ mode: "json" }).notNull(),
  updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
});
