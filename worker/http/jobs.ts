import { CRON, type ScheduledJob } from "../scheduling/types";
import { purgeExpiredIdempotencyKeys } from "./idempotency";

/** Expired Idempotency-Key rows are dead weight (lookups already ignore them); delete them daily in chunks. */
export const httpJobs: ScheduledJob[] = [
  {
    name: "purge-idempotency-keys",
    crons: [CRON.daily],
    async run(env, { now, log }) {
      let deleted = 0;
      for (let round = 0; round < 50; round++) {
        const n = await purgeExpiredIdempotencyKeys(env.DB, now.getTime());
        deleted += n;
        if (n < 1000) break;
      }
      log.info("idempotency keys purged", { deleted });
    },
  },
];
