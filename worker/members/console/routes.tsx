import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { MembersPage } from "./pages";
import { searchMembers } from "./queries";
import { memberStandingConsole } from "./standing";

/** 会员 in the console: search, and a member's referrer chain, team and audit history. */
export const memberConsole = new Hono<ConsoleEnv>();

const MemberQuery = z.object({ q: z.string().max(64).catch(""), cursor: z.string().max(120).optional().catch(undefined) });

memberConsole.get("/members", async (c) => {
  const { q, cursor } = MemberQuery.parse(c.req.query());
  const page = await searchMembers(c.var.db, q, cursor);
  return c.html(<MembersPage session={c.var.session} q={q} rows={page.items} nextCursor={page.nextCursor} />);
});

memberConsole.route("/", memberStandingConsole);
