import type { ScheduledJob } from "../scheduling/types";
import type { Actor } from "./audit";
import { closeRound, dueRounds } from "./closing";
import { resumeDividends } from "./dividends";
import { expireOrphanReservations, refundDueSubscriptions } from "./refunds";

const SYSTEM: Actor = { actorId: "job:close-rounds", actorKind: "system" };

/**
 * Closes rounds past their closing time, refunds what a failed round or a late payment must give back, expires
 * reservations left without an order, and finishes interrupted dividend payments; all idempotent.
 */
export const crowdfundingJobs: ScheduledJob[] = [
  {
    name: "close-rounds",
    crons: ["*/5 * * * *"],
    async run(env, { now, log }) {
      for (const id of await dueRounds(env.DB, now.getTime())) {
        try {
          const closed = await closeRound(env.DB, SYSTEM, id, now.getTime(), { early: false });
          if (closed) log.info("round closed", closed);
        } catch (error) {
          // Its batch rolled back whole; the next run tries again. One round's trouble holds up neither the
          // other rounds nor the refunds below.
          log.error("round not closed; retrying next run", { roundId: id, error: String(error) });
        }
      }
      const refunds = await refundDueSubscriptions(env, log, now);
      const expired = await expireOrphanReservations(env.DB, now.getTime());
      if (refunds || expired) log.info("subscriptions settled", { refundsStarted: refunds, reservationsExpired: expired });
    },
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
