import type { ScheduledJob } from "../scheduling/types";
import { settleOverduePayments } from "./jobs";

export const orderJobs: ScheduledJob[] = [
  { name: "settle-overdue-payments", crons: ["*/5 * * * *"], run: async (env, { now, log }) => void (await settleOverduePayments(env, now, log)) },
];
