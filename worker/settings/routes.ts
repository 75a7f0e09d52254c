import { createRoute, z } from "@hono/zod-openapi";
import { principal, requireAdmin } from "../http/auth";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { changeSettings, listSettings } from "./admin";

const SettingSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    help: z.string(),
    value: z.unknown(),
    defaultValue: z.unknown(),
    isSet: z.boolean(),
    malformed: z.boolean(),
  })
  .openapi("Setting");
const SettingsSchema = z.object({ items: z.array(SettingSchema) }).openapi("Settings");
const SettingsPatch = z
  .record(z.string().max(64), z.unknown())
  .openapi("SettingsPatch", { example: { "referral.protectionDays": 30, "courses.allAccessTiers": ["shareholder"] } });

const getSettings = createRoute({
  method: "get",
  path: "/api/admin/settings",
  tags: ["admin"],
  summary: "Every setting with its value in effect, default and Chinese label",
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  responses: { 200: { description: "Settings", content: { "application/json": { schema: SettingsSchema } } }, ...problemResponses(401, 403) },
});

const patchSettings = createRoute({
  method: "patch",
  path: "/api/admin/settings",
  tags: ["admin"],
  summary: "Change settings: every key validated, unknown keys refused, all written or none; audited with before/after",
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { body: { required: true, content: { "application/json": { schema: SettingsPatch } } } },
  responses: { 200: { description: "Settings after the change", content: { "application/json": { schema: SettingsSchema } } }, ...problemResponses(400, 401, 403, 422) },
});

export const settingsRoutes = createRouter()
  .openapi(getSettings, async (c) => c.json({ items: await listSettings(c.env.DB) }, 200))
  .openapi(patchSettings, async (c) => c.json({ items: await changeSettings(c.env.DB, principal(c), c.req.valid("json"), c.var.requestId) }, 200));
