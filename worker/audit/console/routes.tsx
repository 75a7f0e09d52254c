import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { auditPage } from "../queries";
import { AuditPage } from "./pages";

/** 审计日志 in the console: the audit log newest first, filtered by action. */
export const auditConsole = new Hono<ConsoleEnv>();

const AuditQuery = z.object({ action: z.string().max(64).catch(""), cursor: z.uuid().optional().catch(undefined) });

auditConsole.get("/audit", async (c) => {
  const { action, cursor } = AuditQuery.parse(c.req.query());
  const page = await auditPage(c.var.db, { action: action || undefined }, cursor, 50);
  return c.html(<AuditPage session={c.var.session} rows={page.items} nextCursor={page.nextCursor} action={action} />);
});
