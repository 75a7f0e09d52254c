import type { Logger } from "../http/log";

/** The Cron Triggers of wrangler.toml; a job names the ones it runs on. */
export const CRON = { everyFiveMinutes: "*/5 * * * *", daily: "17 3 * * *" } as const;
export type Cron = (typeof CRON)[keyof typeof CRON];

/** A module's job; modules import this type from here, and worker/scheduled.ts lists their jobs. */
export type ScheduledJob = {
  name: string;
  crons: readonly Cron[];
  run(env: Env, job: { now: Date; log: Logger }): Promise<void>;
};
