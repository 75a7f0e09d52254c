import { createApp } from "./app";
import { settleOverduePayments } from "./orders/jobs";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Jobs are registered by the modules that own them (see worker/scheduled.ts once modules add jobs).
    if (controller.cron === "*/5 * * * *") ctx.waitUntil(settleOverduePayments(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Env>;
