import type { ScheduledJob } from "../scheduled";
import { purgeExpiredIdempotencyKeys } from "./idempotency";

/** Expired Idempotency-Key rows are dead weight (lookups already ignore them); delete them daily in chunks. */
export const httpJobs: ScheduledJob[] = [
  {
    name: "purge-idempotency-keys",
    crons: ["17 3 * * *"], // CRON.daily (a literal: scheduled.ts imports this file, so its values are not ready here)
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
