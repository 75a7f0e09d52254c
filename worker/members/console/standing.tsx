import { Hono, type Context } from "hono";
import { z } from "zod";
import { TIERS, type Principal } from "../../http/auth";
import { blockMember, changeTier, unblockMember, type MemberStanding } from "../standing";
import { consoleActor } from "../../console/api-auth";
import { attempt, DONE_MESSAGES } from "../../console/errors";
import type { ConsoleEnv } from "../../console/context";
import { field, formEntries } from "../../console/form";
import { MemberDetailPage } from "./pages";
import { memberDetail } from "./queries";
import { memberCommissionPanel } from "../../commissions/console/sections";
import { readPhone } from "../phone";
import { notFoundPage } from "../../console/error-pages";
import { badQueryPage } from "../../console/list-filters";
import { isOrderCursor } from "../../orders/admin-queries";
import { memberActivity } from "./activity";

type Ctx = Context<ConsoleEnv>;

/** Tier changes and blocking in the console: the same services (and audit rows) as /api/admin/members/:id/*. */
export const memberStandingConsole = new Hono<ConsoleEnv>();

/** `?orders=` pages the member's orders (a cursor of the orders list). */
const MemberPageQuery = z.object({ orders: z.string().max(512).refine(isOrderCursor, "不是本列表的翻页位置").optional() });

export async function renderMember(c: Ctx, id: string, extra: { error?: string } = {}, status: 200 | 404 | 409 | 422 = 200) {
  const detail = id.length <= 64 ? await memberDetail(c.var.db, id) : null;
  if (!detail) return notFoundPage(c, "没有这个会员。");
  // The member's page shows the phone number (lists show it masked).
  detail.member.phone = await readPhone(c.env, detail.member);
  const notice = DONE_MESSAGES[c.req.query("done") ?? ""];
  const page = MemberPageQuery.safeParse({ orders: c.req.query("orders") });
  if (!page.success) return badQueryPage(c, page.error);
  const [panel, activity] = await Promise.all([memberCommissionPanel(c.env.DB, id), memberActivity(c.var.db, c.env.DB, id, page.data.orders)]);
  return c.html(<MemberDetailPage session={c.var.session} detail={detail} commissions={panel} activity={activity} notice={notice} error={extra.error} />, status);
}

memberStandingConsole.get("/members/:id", (c) => renderMember(c, c.req.param("id")));

const Reason = z.string().trim().min(1).max(200);

async function act(c: Ctx, done: string, run: (actor: Principal, id: string, form: Map<string, unknown>) => Promise<MemberStanding> | string) {
  const id = c.req.param("id") ?? "";
  const form = await formEntries(c);
  const result = await attempt(async () => run(consoleActor(c.var.session), id, form));
  if (!result.ok) return renderMember(c, id, { error: result.error }, result.status === 404 ? 404 : result.status === 409 ? 409 : 422);
  if (typeof result.value === "string") return renderMember(c, id, { error: result.value }, 422);
  return c.redirect(`/admin/members/${encodeURIComponent(id)}?done=${result.value.changed ? done : "unchanged"}`, 303);
}

memberStandingConsole.post("/members/:id/tier", (c) =>
  act(c, "tier", (actor, id, form) => {
    const tier = z.enum(TIERS).safeParse(field(form, "tier"));
    const reason = Reason.safeParse(field(form, "reason"));
    if (!tier.success || !reason.success) return "请选择等级并填写原因（最多 200 字）。";
    return changeTier(c.env.DB, actor, id, tier.data, reason.data, c.var.requestId);
  }),
);

memberStandingConsole.post("/members/:id/block", (c) =>
  act(c, "blocked", (actor, id, form) => {
    const reason = Reason.safeParse(field(form, "reason"));
    if (!reason.success || field(form, "confirm") !== "yes") return "请填写停用原因（最多 200 字）并勾选确认。";
    return blockMember(c.env.DB, actor, id, reason.data, c.var.requestId);
  }),
);

memberStandingConsole.post("/members/:id/unblock", (c) =>
  act(c, "unblocked", (actor, id, form) => {
    const raw = field(form, "reason").trim();
    const reason = Reason.optional().safeParse(raw === "" ? undefined : raw);
    if (!reason.success) return "恢复原因最多 200 字。";
    return unblockMember(c.env.DB, actor, id, reason.data, c.var.requestId);
  }),
);
