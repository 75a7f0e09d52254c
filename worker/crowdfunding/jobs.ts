import type { Logger } from "../http/log";
import type { ScheduledJob } from "../scheduling/types";
import type { Actor } from "./audit";
import { closeRound, dueRounds } from "./closing";
import { resumeDividends } from "./dividends";
import { expireOrphanReservations, refundDueSubscriptions } from "./refunds";

const SYSTEM: Actor = { actorId: "job:close-rounds", actorKind: "system" };

/**
 * Closes rounds past their closing time, refunds what a failed round or a late payment must give back, and expires
 * reservations left without an order; all idempotent. Bounded: each step takes at most `chunkSize` rows a run, and
 * what it handles leaves its backlog, so a larger backlog drains over successive runs.
 */
export async function closeDueRounds(env: Env, now: Date, log: Logger, chunkSize?: number) {
  let closed = 0;
  for (const id of await dueRounds(env.DB, now.getTime(), chunkSize)) {
    try {
      const outcome = await closeRound(env.DB, SYSTEM, id, now.getTime(), { early: false });
      if (outcome) {
        closed++;
        log.info("round closed", outcome);
      }
    } catch (error) {
      // Its batch rolled back whole; the next run tries again. One round's trouble holds up neither the
      // other rounds nor the refunds below.
      log.error("round not closed; retrying next run", { roundId: id, error: String(error) });
    }
  }
  const refundsStarted = await refundDueSubscriptions(env, log, now, chunkSize);
  const reservationsExpired = await expireOrphanReservations(env.DB, now.getTime(), chunkSize);
  if (refundsStarted || reservationsExpired) log.info("subscriptions settled", { refundsStarted, reservationsExpired });
  return { closed, refundsStarted, reservationsExpired };
}

/** The jobs above, and the one that finishes interrupted dividend payments. */
export const crowdfundingJobs: ScheduledJob[] = [
  {
    name: "close-rounds",
    crons: ["*/5 * * * *"],
    run: async (env, { now, log }) => void (await closeDueRounds(env, now, log)),
  },
  {
    name: "resume-dividends",
    crons: ["*/5 * * * *"],
    async run(env, { log }) {
      const resumed = await resumeDividends(env.DB);
      if (resumed > 0) log.warn("resumed interrupted dividend declarations", { count: resumed });
    },
  },
];
