import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { beijingDayStart } from "../labels";
import { auditPage } from "../queries";
import { AuditPage } from "./pages";

/** 审计日志 in the console: the audit log newest first, filtered by action and by Beijing calendar days. */
export const auditConsole = new Hono<ConsoleEnv>();

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(beijingDayStart(d)));

/** A malformed filter is dropped (the page shows everything) rather than failing the page. */
const AuditQuery = z.object({
  action: z.string().max(64).catch(""),
  from: DAY.optional().catch(undefined),
  to: DAY.optional().catch(undefined),
  cursor: z.uuid().optional().catch(undefined),
});

export type AuditFilterForm = { action: string; from?: string; to?: string };

auditConsole.get("/audit", async (c) => {
  const { action, from, to, cursor } = AuditQuery.parse(c.req.query());
  const filter = {
    action: action || undefined,
    from: from ? beijingDayStart(from) : undefined,
    // The 到 day is included: the range ends at the next Beijing midnight.
    to: to ? beijingDayStart(to) + 86_400_000 : undefined,
  };
  const page = await auditPage(c.var.db, filter, cursor, 50);
  return c.html(<AuditPage session={c.var.session} rows={page.items} nextCursor={page.nextCursor} filter={{ action, from, to }} />);
});
