import { count } from "drizzle-orm";
import type { Db } from "../http/context";
import { adminUsers, members } from "../../schema";
import { auditPage } from "../audit/queries";
import { salesToday } from "../orders/admin-queries";

/** The figures of 概览: members by tier, console users, the latest audit entries and today's sales. */
export async function dashboardCounts(db: Db, d1: D1Database) {
  const [byTier, [adminCount], recent, sales] = await Promise.all([
    db.select({ tier: members.tier, n: count() }).from(members).groupBy(members.tier),
    db.select({ n: count() }).from(adminUsers),
    auditPage(db, {}, undefined, 5),
    salesToday(d1),
  ]);
  const tiers = Object.fromEntries(byTier.map((r) => [r.tier, r.n])) as Record<string, number>;
  const total = byTier.reduce((sum, r) => sum + r.n, 0);
  return { tiers, total, admins: adminCount.n, recent: recent.items, sales };
}
