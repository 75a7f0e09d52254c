import { and, desc, eq, exists, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "@hono/zod-openapi";
import { lotBids, lots, lotSales } from "../../schema";
import type { Db } from "../http/context";
import { encodeCursor, listLimit, pageOf, listCursor } from "../http/cursor";
import { ApiError } from "../http/problem";
import { lotState } from "./catalog";
import { decodeLotCursor } from "./schemas";

/** 我的竞拍 tabs: lots still open that I bid on; lots I won; of those, the ones to pay and the ones shipped. */
export const MY_LOT_TABS = ["bidding", "won", "to_pay", "shipped"] as const;
export type MyLotTab = (typeof MY_LOT_TABS)[number];

export const MyLotsQuery = z.object({
  tab: z.enum(MY_LOT_TABS).default("bidding").openapi({ param: { name: "tab", in: "query" } }),
  limit: listLimit.openapi({ param: { name: "limit", in: "query" } }),
  cursor: listCursor(decodeLotCursor),
});

export const ShippingAddress = z
  .object({
    userName: z.string().trim().min(1).max(40),
    telNumber: z.string().trim().regex(/^[0-9+\- ]{5,20}$/),
    provinceName: z.string().trim().min(1).max(20),
    cityName: z.string().trim().min(1).max(20),
    countyName: z.string().trim().max(20).default(""),
    detailInfo: z.string().trim().min(1).max(200),
    postalCode: z.string().trim().max(10).default(""),
  })
  .strict()
  .openapi("ShippingAddress", { description: "As wx.chooseAddress returns it." });

const Sale = z.object({
  status: z.enum(["awaiting_payment", "paid", "unpaid", "shipped"]),
  priceFen: z.number().int(),
  paymentDueAt: z.string(),
  orderId: z.string().nullable(),
  shippingAddress: ShippingAddress.nullable(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  shippedAt: z.string().nullable(),
});

export const MyLot = z
  .object({
    lotId: z.string(),
    title: z.string(),
    state: z.enum(["upcoming", "live", "ended"]),
    currentPriceFen: z.number().int().nullable(),
    endsAt: z.string(),
    leading: z.boolean(),
    myTopBidFen: z.number().int().nullable(),
    sale: Sale.nullable(),
  })
  .openapi("MyLot");
export const MyLotPage = pageOf(MyLot).openapi("MyLotPage");

/** One D1 read: lots the member bid on (from the flushed history) or won, newest first. */
export async function myLots(db: Db, memberId: string, q: z.infer<typeof MyLotsQuery>, now = Date.now()) {
  const bidOn = exists(db.select({ one: sql`1` }).from(lotBids).where(and(eq(lotBids.memberId, memberId), eq(lotBids.lotId, lots.id))));
  const byTab: Record<MyLotTab, SQL | undefined> = {
    bidding: and(eq(lots.status, "open"), bidOn),
    won: eq(lotSales.winnerMemberId, memberId),
    to_pay: and(eq(lotSales.winnerMemberId, memberId), eq(lotSales.status, "awaiting_payment")),
    shipped: and(eq(lotSales.winnerMemberId, memberId), eq(lotSales.status, "shipped")),
  };
  const c = q.cursor ? decodeLotCursor(q.cursor) : null;
  const rows = await db
    .select({
      lot: lots,
      sale: lotSales,
      myTopBidFen: sql<number | null>`(select max(amount_fen) from lot_bids where lot_bids.member_id = ${memberId} and lot_bids.lot_id = ${lots.id})`,
    })
    .from(lots)
    .leftJoin(lotSales, eq(lotSales.lotId, lots.id))
    .where(and(byTab[q.tab], c ? or(lt(lots.startsAt, new Date(c[0])), and(eq(lots.startsAt, new Date(c[0])), lt(lots.id, c[1]))) : undefined))
    .orderBy(desc(lots.startsAt), desc(lots.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ lot, sale, myTopBidFen }) => ({
      lotId: lot.id,
      title: lot.title,
      state: lotState(lot, now),
      currentPriceFen: lot.currentPriceFen,
      endsAt: lot.closesAt.toISOString(),
      leading: lot.status === "open" ? lot.leaderMemberId === memberId : lot.winnerMemberId === memberId,
      myTopBidFen,
      sale:
        sale && sale.winnerMemberId === memberId
          ? {
              status: sale.status,
              priceFen: sale.priceFen,
              paymentDueAt: sale.paymentDueAt.toISOString(),
              orderId: sale.orderId,
              shippingAddress: (sale.shippingAddress as z.infer<typeof ShippingAddress> | null) ?? null,
              carrier: sale.carrier,
              trackingNo: sale.trackingNo,
              shippedAt: sale.shippedAt?.toISOString() ?? null,
            }
          : null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.lot.startsAt.getTime(), last.lot.id]) : null,
  };
}

/** The winner gives (or corrects) the address the work is shipped to, until it has shipped. */
export async function setShippingAddress(db: Db, memberId: string, lotId: string, address: z.infer<typeof ShippingAddress>, now = new Date()) {
  const [sale] = await db.select().from(lotSales).where(eq(lotSales.lotId, lotId));
  if (!sale || sale.winnerMemberId !== memberId) throw ApiError.notFound("You have not won this lot.");
  const [row] = await db
    .update(lotSales)
    .set({ shippingAddress: address, updatedAt: now })
    .where(and(eq(lotSales.lotId, lotId), eq(lotSales.winnerMemberId, memberId), or(eq(lotSales.status, "awaiting_payment"), eq(lotSales.status, "paid"))))
    .returning();
  if (!row) throw ApiError.conflict("already-shipped", "The work has shipped (or the sale lapsed); the address can no longer change.");
  return address;
}
