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
    boundAt: integer({ mode: "timestamp_ms" }),
    /** Short, random, unique; shared in links and mini-program codes. */
    inviteCode: text().notNull().unique(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** Set by an admin: login and every member route are refused until it is cleared (unblock). */
    blockedAt: integer({ mode: "timestamp_ms" }),
    blockedReason: text(),
  },
  (t) => [
    index("members_referrer_idx").on(t.referrerId),
    index("members_phone_idx").on(t.phone),
    index("members_phone_hash_idx").on(t.phoneHash),
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
