import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { z } from "@hono/zod-openapi";
import { lots, lotSales, members } from "../../schema";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { lotAuditRow, type Actor } from "./admin";

/**
 * After the hammer: results, winners who have not paid, and shipments. A sale row is written once by the lot's
 * ending; payment (the winner's `auction_purchase` order), the deadline and the console move it on.
 */
export const SALE_VIEWS = ["results", "unpaid", "shipments"] as const;
export type SaleView = (typeof SALE_VIEWS)[number];

export async function listSales(db: Db, view: SaleView, now = new Date(), limit = 100) {
  const where =
    view === "unpaid"
      ? or(eq(lotSales.status, "unpaid"), and(eq(lotSales.status, "awaiting_payment"), lt(lotSales.paymentDueAt, now)))
      : view === "shipments"
        ? inArray(lotSales.status, ["paid", "shipped"])
        : undefined;
  const rows = await db
    .select({
      lotId: lotSales.lotId,
      title: lots.title,
      winnerMemberId: lotSales.winnerMemberId,
      winnerNickname: members.nickname,
      priceFen: lotSales.priceFen,
      status: lotSales.status,
      paymentDueAt: lotSales.paymentDueAt,
      orderId: lotSales.orderId,
      shippingAddress: lotSales.shippingAddress,
      carrier: lotSales.carrier,
      trackingNo: lotSales.trackingNo,
      shippedAt: lotSales.shippedAt,
      createdAt: lotSales.createdAt,
    })
    .from(lotSales)
    .innerJoin(lots, eq(lots.id, lotSales.lotId))
    .leftJoin(members, eq(members.id, lotSales.winnerMemberId))
    .where(where)
    .orderBy(desc(lotSales.createdAt))
    .limit(limit);
  return rows;
}

/** Lots that ended unsold (reserve not met or no bid), for the results page. */
export async function listUnsold(db: Db, limit = 100) {
  return db.select({ id: lots.id, title: lots.title, currentPriceFen: lots.currentPriceFen, bidCount: lots.bidCount, endedAt: lots.endedAt }).from(lots).where(eq(lots.status, "unsold")).orderBy(desc(lots.endedAt)).limit(limit);
}

export const ShipmentInput = z
  .object({ carrier: z.string().trim().min(1).max(40), trackingNo: z.string().trim().regex(/^[A-Za-z0-9-]{4,40}$/, "4–40 letters, digits or dashes.") })
  .strict()
  .openapi("ShipmentInput");

/** Records the shipment of a paid lot (once; a correction is a second call while still shipped), audited in the same batch. */
export async function recordShipment(db: Db, actor: Actor, lotId: string, input: z.infer<typeof ShipmentInput>, now = new Date()) {
  const [sale] = await db.select().from(lotSales).where(eq(lotSales.lotId, lotId));
  if (!sale) throw ApiError.notFound("This lot has no sale.");
  if (sale.status !== "paid" && sale.status !== "shipped") throw ApiError.conflict("sale-not-paid", "Only a paid lot can be shipped.");
  if (!sale.shippingAddress) throw ApiError.conflict("no-shipping-address", "The winner has not given a shipping address yet.");
  const [[row]] = await db.batch([
    db
      .update(lotSales)
      .set({ status: "shipped", carrier: input.carrier, trackingNo: input.trackingNo, shippedAt: sql`coalesce(${lotSales.shippedAt}, ${now.getTime()})`, updatedAt: now })
      .where(and(eq(lotSales.lotId, lotId), inArray(lotSales.status, ["paid", "shipped"])))
      .returning(),
    lotAuditRow(db, actor, { action: "lot.shipment", targetId: lotId, before: { status: sale.status, carrier: sale.carrier, trackingNo: sale.trackingNo }, after: input }),
  ]);
  if (!row) throw ApiError.conflict("sale-not-paid", "Only a paid lot can be shipped.");
  return row;
}
