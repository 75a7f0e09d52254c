import { and, asc, desc, eq, getTableColumns, lt, or } from "drizzle-orm";
import type { z } from "@hono/zod-openapi";
import { auditLog, lotBids, lotImages, lots, lotSales } from "../../schema";
import { uuidv7 } from "../audit/log";
import type { Db } from "../http/context";
import { encodeCursor } from "../http/cursor";
import { ApiError } from "../http/problem";
import { lotImageUrl, lotSummary } from "./catalog";
import { decodeLotCursor, type LotInput } from "./schemas";

/** Who acts in the console or through the admin API (the console user, else the admin member). */
export type Actor = { actorId: string; requestId: string };

function auditRow(db: Db, actor: Actor, e: { action: string; targetId: string; before?: unknown; after?: unknown }) {
  return db.insert(auditLog).values({
    id: uuidv7(),
    actorId: actor.actorId,
    actorKind: "admin",
    action: e.action,
    targetType: "lot",
    targetId: e.targetId,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: actor.requestId,
    createdAt: new Date(),
  });
}

const newId = (prefix: string) => `${prefix}_${crypto.randomUUID().replace(/-/g, "")}`;

/**
 * Creates a lot and its audit row in one batch, then wakes the lot's object so its end is scheduled (the object
 * reads the lot from D1; the cron sweep wakes any lot whose wake-up was lost).
 */
export async function createLot(db: Db, env: Env, actor: Actor, input: z.infer<typeof LotInput>, now = new Date()) {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt.getTime() <= now.getTime()) throw ApiError.validation([{ path: "endsAt", message: "endsAt must be in the future." }]);
  const id = newId("lot");
  const [[row]] = await db.batch([
    db
      .insert(lots)
      .values({
        id,
        title: input.title,
        instructor: input.instructor,
        description: input.description,
        startPriceFen: input.startPriceFen,
        reservePriceFen: input.reservePriceFen,
        incrementLadder: input.incrementLadder,
        depositFen: input.depositFen,
        startsAt,
        endsAt,
        closesAt: endsAt,
        antiSnipeWindowSec: input.antiSniping.windowSec,
        antiSnipeExtendSec: input.antiSniping.extendSec,
        antiSnipeMaxExtensions: input.antiSniping.maxExtensions,
        paymentDeadlineHours: input.paymentDeadlineHours,
        commissionable: input.commissionable,
        createdBy: actor.actorId,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
    auditRow(db, actor, { action: "lot.create", targetId: id, after: input }),
  ]);
  await env.LOT_AUCTIONS.getByName(id).open(id);
  return adminLotView(row);
}

export function adminLotView(lot: typeof lots.$inferSelect, now = Date.now()) {
  return {
    ...lotSummary({ ...lot, coverKey: null }, now),
    reservePriceFen: lot.reservePriceFen,
    leaderMemberId: lot.leaderMemberId,
    winnerMemberId: lot.winnerMemberId,
    hammerPriceFen: lot.hammerPriceFen,
    endedAt: lot.endedAt?.toISOString() ?? null,
    commissionable: lot.commissionable,
    createdAt: lot.createdAt.toISOString(),
  };
}

/** Every lot, newest start first (console). */
export async function listAllLots(db: Db, q: { limit: number; cursor?: string }) {
  const c = q.cursor ? decodeLotCursor(q.cursor) : null;
  const rows = await db
    .select()
    .from(lots)
    .where(c ? or(lt(lots.startsAt, new Date(c[0])), and(eq(lots.startsAt, new Date(c[0])), lt(lots.id, c[1]))) : undefined)
    .orderBy(desc(lots.startsAt), desc(lots.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items: items.map((l) => adminLotView(l)), nextCursor: rows.length > q.limit && last ? encodeCursor([last.startsAt.getTime(), last.id]) : null };
}

/** A lot with its bid history as D1 holds it (flushed from the object a moment after each bid) and its sale. */
export async function adminLotDetail(db: Db, lotId: string) {
  const [found, bids, images, sale] = await db.batch([
    db.select().from(lots).where(eq(lots.id, lotId)),
    db.select().from(lotBids).where(eq(lotBids.lotId, lotId)).orderBy(desc(lotBids.seq)).limit(500),
    db.select().from(lotImages).where(eq(lotImages.lotId, lotId)).orderBy(asc(lotImages.position), asc(lotImages.id)),
    db.select({ ...getTableColumns(lotSales) }).from(lotSales).where(eq(lotSales.lotId, lotId)),
  ]);
  if (!found[0]) throw ApiError.notFound("No such lot.");
  return {
    lot: { ...adminLotView(found[0]), description: found[0].description, incrementLadder: found[0].incrementLadder, depositFen: found[0].depositFen },
    bids: bids.map((b) => ({ seq: b.seq, memberId: b.memberId, amountFen: b.amountFen, kind: b.kind, placedAt: b.placedAt.toISOString() })),
    images: images.map((i) => ({ id: i.id, url: lotImageUrl(i.objectKey), contentType: i.contentType, bytes: i.bytes })),
    sale: sale[0] ?? null,
  };
}

export { auditRow as lotAuditRow, newId as newLotScopedId };
