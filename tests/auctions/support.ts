import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { lotDeposits } from "../../schema";
import { createDb } from "../../worker/http/middleware";
import type { Role } from "../../worker/http/auth";
import type { LotAuction } from "../../worker/auctions/lot-object";
import type { Standing } from "../../worker/auctions/bidding";
import { call, mintMember, parsed, type CallOptions } from "../support/api";

export const db = createDb(env.DB);

export const memberWithToken = (roles: Role[] = []) => mintMember({ roles });

/** The worker's answer with its body parsed; `body` is sent as JSON. */
export const api = (path: string, o: Omit<CallOptions, "body"> & { body?: unknown } = {}) => {
  const { body, ...rest } = o;
  return parsed(call(path, body === undefined ? rest : { ...rest, json: body }));
};

/** The ladder of the issue: below ¥1,000 +¥10, below ¥5,000 +¥50, above +¥100. */
export const LADDER = [
  { belowFen: 100_000, stepFen: 1_000 },
  { belowFen: 500_000, stepFen: 5_000 },
  { belowFen: null, stepFen: 10_000 },
];

type LotOverrides = Partial<{
  startPriceFen: number;
  reservePriceFen: number | null;
  depositFen: number;
  startsInMs: number;
  endsInMs: number;
  antiSniping: { windowSec: number; extendSec: number; maxExtensions: number };
  incrementLadder: typeof LADDER;
  commissionable: boolean;
}>;

/** A lot created through the admin API, live now unless told otherwise (no deposit unless told). */
export async function createLot(o: LotOverrides = {}) {
  const admin = await memberWithToken(["admin"]);
  const now = Date.now();
  const res = await api("/api/admin/lots", {
    token: admin.token,
    body: {
      title: "王老师 行书《兰亭序》节临",
      instructor: "王老师",
      startPriceFen: o.startPriceFen ?? 50_000,
      reservePriceFen: o.reservePriceFen ?? null,
      incrementLadder: o.incrementLadder ?? LADDER,
      depositFen: o.depositFen ?? 0,
      startsAt: new Date(now + (o.startsInMs ?? -1_000)).toISOString(),
      endsAt: new Date(now + (o.endsInMs ?? 3_600_000)).toISOString(),
      antiSniping: o.antiSniping ?? { windowSec: 0, extendSec: 0, maxExtensions: 0 },
      commissionable: o.commissionable ?? false,
    },
  });
  if (res.status !== 201) throw new Error(`create lot: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; endsAt: string };
}

export async function bid(lotId: string, token: string, body: { amountFen: number; maxFen?: number }, idempotencyKey?: string) {
  return api(`/api/lots/${lotId}/bids`, { token, body, headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {} });
}

export const lotObject = (lotId: string) => env.LOT_AUCTIONS.getByName(lotId);

/** Until the deposit order kind lands, a held deposit is recorded directly. */
export async function holdDeposit(lotId: string, memberId: string, amountFen = 100_000) {
  const now = new Date();
  await db.insert(lotDeposits).values({ lotId, memberId, orderId: `order-${memberId}`, amountFen, status: "held", createdAt: now, updatedAt: now });
}

/**
 * Moves the lot's end to just now, in its object and in D1, as if it had been scheduled so (the wall clock cannot
 * be stepped in workerd).
 */
export async function closeNow(lotId: string) {
  const at = Date.now() - 1;
  await env.DB.prepare("UPDATE lots SET ends_at = ?1, closes_at = ?1 WHERE id = ?2").bind(at, lotId).run();
  await runInDurableObject(lotObject(lotId), async (_instance: LotAuction, state) => {
    const row = state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'standing'").one();
    const standing = JSON.parse(row.value) as Standing;
    state.storage.sql.exec("UPDATE kv SET value = ? WHERE key = 'standing'", JSON.stringify({ ...standing, closesAtMs: at }));
  });
}

/** Closes the lot and runs its alarm now. */
export async function endLot(lotId: string) {
  await closeNow(lotId);
  await lotObject(lotId).open(lotId); // makes sure an alarm is set
  await runInDurableObject(lotObject(lotId), (_i, state) => state.storage.setAlarm(Date.now()));
  return runDurableObjectAlarm(lotObject(lotId));
}
