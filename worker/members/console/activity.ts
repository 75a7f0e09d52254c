import { desc, eq } from "drizzle-orm";
import type { Db } from "../../http/context";
import { courses, entitlements } from "../../../schema";
import { memberEarnings, type Earnings } from "../../commissions/partner";
import { accountId } from "../../ledger/accounts";
import { balance } from "../../ledger/service";
import { listOrdersForAdmin, type AdminOrderRow } from "../../orders/admin-queries";

/** What a member did and earned, for their console page: a page of orders, their courses, their earnings. */
export const MEMBER_ORDERS_PAGE = 10;
/** Courses on the member's page; a member with more sees the latest. */
export const MEMBER_COURSES_SHOWN = 50;

export type MemberCourse = { courseId: string; title: string | null; source: "order" | "tier" | "admin"; orderId: string | null; grantedAt: Date; revokedAt: Date | null };
export type MemberActivity = {
  orders: { items: AdminOrderRow[]; nextCursor: string | null };
  courses: MemberCourse[];
  /** The partner earnings API's figures (same service), plus the dividends payable to them. */
  earnings: Earnings & { dividendsFen: number };
};

export async function memberActivity(db: Db, d1: D1Database, memberId: string, ordersCursor?: string): Promise<MemberActivity> {
  const [orders, owned, earned, dividends] = await Promise.all([
    listOrdersForAdmin(d1, { memberId, cursor: ordersCursor }, MEMBER_ORDERS_PAGE),
    db
      .select({ courseId: entitlements.courseId, title: courses.title, source: entitlements.source, orderId: entitlements.orderId, grantedAt: entitlements.grantedAt, revokedAt: entitlements.revokedAt })
      .from(entitlements)
      .leftJoin(courses, eq(courses.id, entitlements.courseId))
      .where(eq(entitlements.memberId, memberId))
      .orderBy(desc(entitlements.grantedAt))
      .limit(MEMBER_COURSES_SHOWN),
    memberEarnings(d1, memberId),
    balance(d1, accountId("dividends_payable", memberId)),
  ]);
  return { orders, courses: owned, earnings: { ...earned, dividendsFen: dividends.availableFen } };
}
