import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness",
  responses: {
    200: { description: "The worker answers", content: { "application/json": { schema: z.object({ ok: z.literal(true) }) } } },
  },
});

export const healthRoutes = createRouter().openapi(health, (c) => c.json({ ok: true as const }, 200));
