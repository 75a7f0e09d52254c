import { createApp } from "./app";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Jobs are registered by the modules that own them (see worker/scheduled.ts once modules add jobs).
    void controller; void env; void ctx;
  },
} satisfies ExportedHandler<Env>;
