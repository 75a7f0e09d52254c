import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { badQueryPage, blankToUndefined, dayWindow, withDayRange } from "../../console/list-filters";
import { auditPage } from "../queries";
import { AuditPage } from "./pages";

/** 审计日志 in the console: the audit log newest first, filtered by action and by Beijing calendar days. */
export const auditConsole = new Hono<ConsoleEnv>();

/** The action picker and the Beijing-day range of every console list; a malformed filter is refused (400), not ignored. */
const AuditQuery = withDayRange({
  action: z.preprocess(blankToUndefined, z.string().max(64).optional()),
  cursor: z.preprocess(blankToUndefined, z.uuid().optional()),
});

export type AuditFilterForm = { action: string; from?: string; to?: string };

auditConsole.get("/audit", async (c) => {
  const parsed = AuditQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const { action = "", from, to, cursor } = parsed.data;
  const window = dayWindow({ from, to });
  const page = await auditPage(c.var.db, { action: action || undefined, from: window.fromMs, to: window.toMs }, cursor, 50);
  return c.html(<AuditPage session={c.var.session} rows={page.items} nextCursor={page.nextCursor} filter={{ action, from, to }} />);
});
