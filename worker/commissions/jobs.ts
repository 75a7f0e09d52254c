import { CRON, type ScheduledJob } from "../scheduling/types";
import { settleDueCommissions } from "./settlement";

export const commissionJobs: ScheduledJob[] = [
  {
    name: "settle-due-commissions",
    crons: [CRON.everyFiveMinutes],
    async run(env, { now, log }) {
      const result = await settleDueCommissions(env.DB, now, log);
      if (result.settled + result.skipped > 0) log.info("due commissions settled", result);
    },
  },
];
