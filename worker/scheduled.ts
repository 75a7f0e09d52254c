import { commissionJobs } from "./commissions/jobs";
import { createLogger } from "./http/log";
import { ledgerJobs } from "./ledger/jobs";
import { orderJobs } from "./orders/scheduled-jobs";
import { httpJobs } from "./http/jobs";
import { payoutJobs } from "./payouts/jobs";
import { memberJobs } from "./members/jobs";
import { crowdfundingJobs } from "./crowdfunding/jobs";
import { auctionJobs } from "./auctions/jobs";
import type { ScheduledJob } from "./scheduling/types";

export { CRON, type Cron, type ScheduledJob } from "./scheduling/types";

/** Every module's jobs, one line per module (like the routes in app.ts). */
export const scheduledJobs: ScheduledJob[] = [...ledgerJobs, ...memberJobs, ...orderJobs, ...payoutJobs, ...httpJobs, ...crowdfundingJobs, ...commissionJobs, ...auctionJobs];

/**
 * Runs the jobs registered for the cron that fired. Each runs on its own: one failing job is logged
 * loudly and does not stop the others (they are all idempotent and run again at the next tick).
 */
export async function runScheduled(controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Env, jobs = scheduledJobs) {
  const now = new Date(controller.scheduledTime);
  const due = jobs.filter((j) => (j.crons as readonly string[]).includes(controller.cron));
  const results = await Promise.allSettled(
    due.map(async (job) => {
      const log = createLogger({ job: job.name, cron: controller.cron, scheduledTime: now.toISOString() });
      const started = Date.now();
      try {
        await job.run(env, { now, log });
        log.info("job done", { ms: Date.now() - started });
      } catch (error) {
        log.error("job failed", { error: String(error), stack: (error as Error)?.stack });
        throw error;
      }
    }),
  );
  return due.map((j, i) => ({ name: j.name, ok: results[i].status === "fulfilled" }));
}
