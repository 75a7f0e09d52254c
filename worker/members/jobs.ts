import type { ScheduledJob } from "../scheduling/types";
import { encryptLegacyPhones } from "./phone";

export const memberJobs: ScheduledJob[] = [
  { name: "encrypt-legacy-phones", crons: ["*/5 * * * *"], run: async (env, { log }) => void (await encryptLegacyPhones(env, log)) },
];
