import type { ScheduledJob } from "../scheduling/types";

/** A lot still open this long after its close has lost its alarm (or the alarm keeps failing): wake it. */
const OVERDUE_MS = 60_000;

/**
 * The safety net under the lots' alarms: every open lot past its close is woken, which schedules its end now.
 * Ending is idempotent, so waking a lot whose alarm is merely late does no harm.
 */
export async function wakeOverdueLots(env: Env, now: Date, limit = 50) {
  const { results } = await env.DB.prepare("SELECT id FROM lots WHERE status = 'open' AND closes_at <= ? ORDER BY closes_at LIMIT ?")
    .bind(now.getTime() - OVERDUE_MS, limit)
    .all<{ id: string }>();
  await Promise.all(results.map((lot) => env.LOT_AUCTIONS.getByName(lot.id).open(lot.id)));
  return results.length;
}

export const auctionJobs: ScheduledJob[] = [
  {
    name: "wake-overdue-lots",
    crons: ["*/5 * * * *"],
    run: async (env, { now, log }) => {
      const woken = await wakeOverdueLots(env, now);
      if (woken > 0) log.warn("woke lots past their close", { woken });
    },
  },
];
