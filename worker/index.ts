import { createApp } from "./app";
import { runScheduled } from "./scheduled";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Jobs are registered by the modules that own them in worker/scheduled.ts.
    void ctx;
    await runScheduled(controller, env);
  },
} satisfies ExportedHandler<Env>;

/** Durable Object classes bound in wrangler.toml. */
export { LotAuction } from "./auctions/lot-object";
