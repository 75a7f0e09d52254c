import { useCookiePrincipal } from "./http/auth";
import { createRouter } from "./http/router";
import { database, requestContext } from "./http/middleware";
import { ApiError, problemResponse, toApiError } from "./http/problem";
import { healthRoutes } from "./health/routes";
import { ledgerRoutes } from "./ledger/routes";
import { memberRoutes } from "./members/routes";
import { memberAdminRoutes } from "./members/admin-routes";
import { courseRoutes } from "./courses/routes";
import { orderRoutes } from "./orders/routes";
import { adminOrderRoutes } from "./orders/admin-routes";
import { payRoutes } from "./pay/routes";
import { payoutRoutes } from "./payouts/routes";
import { adminPayoutRoutes } from "./payouts/admin-routes";
import { roundRoutes } from "./crowdfunding/routes";
import { adminRoundRoutes } from "./crowdfunding/admin-routes";
import { partnerRoutes } from "./commissions/routes";
import { lotRoutes } from "./auctions/routes";
import { auditRoutes } from "./audit/routes";
import { settingsRoutes } from "./settings/routes";
import { consolePrincipal } from "./console/api-auth";
import { consoleRoutes } from "./console/routes";
import { docsRoutes } from "./docs/routes";
import { benchRoutes } from "./bench/routes";
import { d1Usage } from "./bench/usage";
import { d1Session, documentBookmarks } from "./http/replicas";

export function createApp() {
  const app = createRouter();
  // /api/admin/* also accepts the console's session cookie: the console plugs its resolver into the auth middleware.
  useCookiePrincipal(consolePrincipal);
  // d1Session before d1Usage, so the bench's meter counts what the session runs.
  app.use("*", requestContext, d1Session, d1Usage, database);

  app.route("/", healthRoutes);
  app.route("/", ledgerRoutes);
  app.route("/", memberRoutes);
  app.route("/", memberAdminRoutes);
  app.route("/", courseRoutes);
  app.route("/", orderRoutes);
  app.route("/", adminOrderRoutes);
  app.route("/", payRoutes);
  app.route("/", payoutRoutes);
  app.route("/", adminPayoutRoutes);
  app.route("/", roundRoutes);
  app.route("/", adminRoundRoutes);
  app.route("/", partnerRoutes);
  app.route("/", lotRoutes);
  app.route("/", auditRoutes);
  app.route("/", settingsRoutes);
  app.route("/admin", consoleRoutes);
  app.route("/", benchRoutes);
  documentBookmarks(app);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "知识社群 · channel partners API", version: "1.0.0" },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.route("/", docsRoutes);

  app.notFound((c) => problemResponse(c, ApiError.notFound(`No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((err, c) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) c.var.log?.error("unhandled", { error: String(err), stack: (err as Error)?.stack });
    return problemResponse(c, apiError);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
