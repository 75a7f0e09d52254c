import { and, asc, desc, eq, getTableColumns, gt, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { lotDeposits, lotImages, lots } from "../../schema";
import type { Db } from "../http/context";
import { encodeCursor } from "../http/cursor";
import { ApiError } from "../http/problem";
import { stepAt } from "./bidding";
import { decodeLotCursor } from "./schemas";

export type LotRow = typeof lots.$inferSelect;
type State = "upcoming" | "live" | "ended";

/** Public URL of a lot image: a fresh object key per upload, so the route may let caches keep it for good. */
export const lotImageUrl = (objectKey: string) => `/${objectKey}`;

export function lotState(lot: Pick<LotRow, "status" | "startsAt" | "closesAt">, now: number): State {
  if (lot.status !== "open" || lot.closesAt.getTime() <= now) return "ended";
  return lot.startsAt.getTime() > now ? "upcoming" : "live";
}

const lotColumns = getTableColumns(lots);
const coverKey = sql<string | null>`(select object_key from lot_images where lot_images.lot_id = lots.id order by position, id limit 1)`;

export function lotSummary(lot: LotRow & { coverKey: string | null }, now: number) {
  return {
    id: lot.id,
    title: lot.title,
    instructor: lot.instructor,
    state: lotState(lot, now),
    status: lot.status,
    startPriceFen: lot.startPriceFen,
    currentPriceFen: lot.currentPriceFen,
    bidCount: lot.bidCount,
    depositFen: lot.depositFen,
    startsAt: lot.startsAt.toISOString(),
    endsAt: lot.closesAt.toISOString(),
    coverUrl: lot.coverKey ? lotImageUrl(lot.coverKey) : null,
  };
}

/**
 * Lots by state, one D1 read (the live columns are the objects' mirror, a moment behind the live socket):
 * live and upcoming soonest first, ended (and all) newest first, keyset-paged on (startsAt, id).
 */
export async function listLots(db: Db, q: { state?: State; limit: number; cursor?: string }, now = Date.now()) {
  const at = new Date(now);
  const byState: Record<State, SQL | undefined> = {
    live: and(eq(lots.status, "open"), lte(lots.startsAt, at), gt(lots.closesAt, at)),
    upcoming: and(eq(lots.status, "open"), gt(lots.startsAt, at)),
    ended: or(ne(lots.status, "open"), lte(lots.closesAt, at)),
  };
  const ascending = q.state === "live" || q.state === "upcoming";
  const c = q.cursor ? decodeLotCursor(q.cursor) : null;
  const after = c
    ? ascending
      ? or(gt(lots.startsAt, new Date(c[0])), and(eq(lots.startsAt, new Date(c[0])), gt(lots.id, c[1])))
      : or(lt(lots.startsAt, new Date(c[0])), and(eq(lots.startsAt, new Date(c[0])), lt(lots.id, c[1])))
    : undefined;
  const rows = await db
    .select({ ...lotColumns, coverKey })
    .from(lots)
    .where(and(q.state ? byState[q.state] : undefined, after))
    .orderBy(...(ascending ? [asc(lots.startsAt), asc(lots.id)] : [desc(lots.startsAt), desc(lots.id)]))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => lotSummary(r, now)),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.startsAt.getTime(), last.id]) : null,
  };
}

/** The lot, its images and — while it is open — the live standing from its object, which is the truth. */
export async function lotDetail(db: Db, env: Env, lotId: string, memberId: string | undefined, now = Date.now()) {
  const [found, images, deposit] = await db.batch([
    db.select({ ...lotColumns, coverKey }).from(lots).where(eq(lots.id, lotId)),
    db.select().from(lotImages).where(eq(lotImages.lotId, lotId)).orderBy(asc(lotImages.position), asc(lotImages.id)),
    db.select({ status: lotDeposits.status }).from(lotDeposits).where(and(eq(lotDeposits.lotId, lotId), eq(lotDeposits.memberId, memberId ?? ""))),
  ]);
  const lot = found[0];
  if (!lot) throw ApiError.notFound("No such lot.");
  const live = lot.status === "open" ? await env.LOT_AUCTIONS.getByName(lotId).snapshot(lotId, memberId) : null;
  const priceFen = live ? live.currentPriceFen : lot.currentPriceFen;
  const summary = lotSummary(lot, now);
  return {
    ...summary,
    state: live ? live.state : summary.state,
    currentPriceFen: priceFen,
    bidCount: live ? live.bidCount : lot.bidCount,
    endsAt: live ? live.endsAt : summary.endsAt,
    description: lot.description,
    reserveMet: lot.reservePriceFen === null ? null : priceFen !== null && priceFen >= lot.reservePriceFen,
    incrementLadder: lot.incrementLadder,
    nextMinFen: live ? live.nextMinFen : priceFen === null ? lot.startPriceFen : priceFen + stepAt(lot.incrementLadder, priceFen),
    leader: live?.leader ?? null,
    leading: live ? live.leading : memberId !== undefined && lot.winnerMemberId === memberId,
    myPaddle: live?.myPaddle ?? null,
    antiSniping: {
      windowSec: lot.antiSnipeWindowSec,
      extendSec: lot.antiSnipeExtendSec,
      maxExtensions: lot.antiSnipeMaxExtensions,
      extensions: live?.extensions ?? 0,
    },
    paymentDeadlineHours: lot.paymentDeadlineHours,
    depositPaid: deposit[0]?.status === "held",
    images: images.map((i) => ({ id: i.id, url: lotImageUrl(i.objectKey), contentType: i.contentType, bytes: i.bytes })),
  };
}
