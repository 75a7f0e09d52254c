import { z } from "@hono/zod-openapi";
import { cursorKey, decodeCursor, listLimit, pageOf, listCursor } from "../http/cursor";
import { ProblemSchema } from "../http/problem";

const fen = (max: number) => z.number().int().min(1).max(max);
/** Up to ¥10,000,000 for a work of art; integer fen only. */
const MAX_PRICE_FEN = 1_000_000_000;

export const LotIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "lot_3f1c…" }) });

export const LadderRungSchema = z
  .object({
    belowFen: fen(MAX_PRICE_FEN).nullable().openapi({ description: "The rung applies below this price; null for the top rung." }),
    stepFen: fen(10_000_000),
  })
  .strict();

/** Rungs ascending, the last one unbounded, so every price has exactly one step. */
const Ladder = z
  .array(LadderRungSchema)
  .min(1)
  .max(20)
  .refine((l) => l[l.length - 1].belowFen === null && l.slice(0, -1).every((r) => r.belowFen !== null), "Only the last rung is unbounded (belowFen: null).")
  .refine((l) => l.slice(1, -1).every((r, i) => r.belowFen! > l[i].belowFen!), "Rungs must ascend.")
  .openapi({ example: [{ belowFen: 100000, stepFen: 1000 }, { belowFen: 500000, stepFen: 5000 }, { belowFen: null, stepFen: 10000 }] });

export const LotInput = z
  .object({
    title: z.string().trim().min(1).max(100),
    instructor: z.string().trim().max(60).default(""),
    description: z.string().max(10_000).default(""),
    startPriceFen: fen(MAX_PRICE_FEN),
    reservePriceFen: fen(MAX_PRICE_FEN).nullable().default(null),
    incrementLadder: Ladder,
    depositFen: z.number().int().min(0).max(100_000_000).default(0),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    antiSniping: z
      .object({ windowSec: z.number().int().min(0).max(3600), extendSec: z.number().int().min(0).max(3600), maxExtensions: z.number().int().min(0).max(100) })
      .strict()
      .default({ windowSec: 0, extendSec: 0, maxExtensions: 0 })
      .openapi({ description: "A bid in the last windowSec seconds extends the end by extendSec seconds, at most maxExtensions times." }),
    paymentDeadlineHours: z.number().int().min(1).max(24 * 30).default(72),
    commissionable: z.boolean().default(false),
  })
  .strict()
  .refine((l) => Date.parse(l.endsAt) > Date.parse(l.startsAt), { path: ["endsAt"], message: "endsAt must be after startsAt." })
  .refine((l) => l.reservePriceFen === null || l.reservePriceFen >= l.startPriceFen, { path: ["reservePriceFen"], message: "The reserve cannot be below the start price." })
  .openapi("LotInput");

const LotState = z.enum(["upcoming", "live", "ended"]);

export const LotImage = z.object({ id: z.string(), url: z.string(), contentType: z.string(), bytes: z.number().int() }).openapi("LotImage");

export const LotSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    instructor: z.string(),
    state: LotState,
    status: z.enum(["open", "sold", "unsold"]),
    startPriceFen: z.number().int(),
    currentPriceFen: z.number().int().nullable(),
    bidCount: z.number().int(),
    depositFen: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string().openapi({ description: "The current end, anti-sniping extensions included." }),
    coverUrl: z.string().nullable(),
  })
  .openapi("LotSummary");

export const LotPage = pageOf(LotSummary).openapi("LotPage");

export const LotDetail = LotSummary.extend({
  description: z.string(),
  reserveMet: z.boolean().nullable().openapi({ description: "Null when the lot has no reserve; the reserve itself stays secret." }),
  incrementLadder: z.array(LadderRungSchema),
  nextMinFen: z.number().int(),
  leader: z.object({ paddle: z.number().int(), label: z.string() }).nullable(),
  leading: z.boolean().openapi({ description: "Whether the caller leads; false when anonymous." }),
  myPaddle: z.number().int().nullable().openapi({ description: "The caller's paddle number in this lot; null before their first bid or when anonymous." }),
  antiSniping: z.object({ windowSec: z.number().int(), extendSec: z.number().int(), maxExtensions: z.number().int(), extensions: z.number().int() }),
  paymentDeadlineHours: z.number().int(),
  depositPaid: z.boolean().openapi({ description: "Whether the caller holds this lot's deposit (bids need it when depositFen > 0)." }),
  images: z.array(LotImage),
}).openapi("LotDetail");

const LotCursor = z.tuple([cursorKey.timestampMs, cursorKey.id]);
export const decodeLotCursor = (s: string) => decodeCursor(s, LotCursor);

export const LotsQuery = z.object({
  state: LotState.optional().openapi({ param: { name: "state", in: "query" }, description: "live · upcoming · ended; all when absent" }),
  limit: listLimit.openapi({ param: { name: "limit", in: "query" } }),
  cursor: listCursor(decodeLotCursor),
});

export const BidInput = z
  .object({
    amountFen: fen(MAX_PRICE_FEN).openapi({ description: "At least nextMinFen.", example: 110000 }),
    maxFen: fen(MAX_PRICE_FEN).optional().openapi({ description: "Proxy bid: the lot bids for you, one step at a time, up to this maximum." }),
  })
  .strict()
  .refine((b) => b.maxFen === undefined || b.maxFen >= b.amountFen, { path: ["maxFen"], message: "maxFen cannot be below amountFen." })
  .openapi("BidInput");

const BidFields = {
  currentPriceFen: z.number().int().nullable(),
  leading: z.boolean(),
  endsAt: z.string(),
  nextMinFen: z.number().int(),
  paddle: z.number().int().nullable().openapi({ description: "The caller's paddle number in this lot (the live socket names leaders by paddle)." }),
};

export const BidAccepted = z.object({ accepted: z.literal(true), ...BidFields, currentPriceFen: z.number().int() }).openapi("BidAccepted");

export const BidRefused = ProblemSchema.extend({ accepted: z.literal(false), ...BidFields })
  .openapi("BidRefused", {
    description:
      "409 problem with the lot's standing. type: /problems/outbid (placed, but an earlier or higher maximum answered it), /problems/bid-too-low, " +
      "/problems/lot-closed, /problems/lot-not-started, /problems/deposit-required, /problems/idempotency-key-reused.",
  });

export const LiveMessage = z
  .object({
    type: z.literal("lot"),
    lotId: z.string(),
    state: LotState,
    currentPriceFen: z.number().int().nullable(),
    nextMinFen: z.number().int(),
    bidCount: z.number().int(),
    leader: z.object({ paddle: z.number().int(), label: z.string() }).nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    extensions: z.number().int(),
    result: z.object({ sold: z.boolean(), priceFen: z.number().int().nullable() }).nullable(),
  })
  .openapi("LotLiveMessage");
