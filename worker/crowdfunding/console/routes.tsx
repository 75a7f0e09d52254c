import { Hono, type Context } from "hono";
import { beijingLocalToIso } from "../../calendar/beijing";
import { attempt } from "../../console/errors";
import type { ConsoleEnv } from "../../console/context";
import { field, formEntries } from "../../console/form";
import { parseYuanToFen } from "../../console/money";
import { accountId } from "../../ledger/accounts";
import { createRound, listRounds, openRound, patchRound } from "../admin";
import { capTable, capTableCsv, roundForAdmin } from "../admin-queries";
import { AllocationInput, DeclarationInput } from "../admin-routes";
import type { Actor } from "../audit";
import { closeRound } from "../closing";
import { allocateToPool, declareDividend, listDeclarations } from "../dividends";
import { holderCount } from "../holders";
import { RoundInput } from "../schemas";
import { CapTablePage, DividendsPage, RoundPage, RoundsPage, roundFormValues, type RoundFormValues } from "./pages";
import { notFoundPage } from "../../console/error-pages";

type Ctx = Context<ConsoleEnv>;

const NOTICES: Record<string, string> = {
  created: "众筹草稿已创建。", saved: "已保存。", opened: "已开放认购。", closed: "已结束认购。",
  allocated: "已划拨到分红池。", declared: "分红已宣告并发放。",
};
const ERRORS: Record<string, string> = {
  "round-not-draft": "只有草稿可以修改或开放。", "round-window-passed": "截止时间已过，请先修改截止时间。", "target-not-met": "未达目标份数，不能提前结束。",
  "round-not-open": "该众筹不在认购中。", "round-changed": "认购情况刚刚变化，请重试。", "insufficient-revenue": "已确认收入不足。",
  "insufficient-dividend-pool": "分红池余额不足。", "dividend-already-declared": "该期间已按其他金额宣告过分红。", "no-shareholders": "没有可分红的股东。",
};

const actor = (c: Ctx): Actor => ({ actorId: c.var.session.admin.id, actorKind: "admin", requestId: c.var.requestId });
const message = (r: { code: string; error: string }) => ERRORS[r.code] ?? r.error;

/** Beijing-time `datetime-local` → ISO; "" for anything else (the schema then names the field). */
const fromLocalInput = (v: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? (beijingLocalToIso(v) ?? "") : "");
const int = (v: string) => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : NaN);

async function roundForm(c: Ctx): Promise<{ values: RoundFormValues; input: Record<string, unknown> }> {
  const all = await c.req.parseBody({ all: true });
  const text = (k: string) => (typeof all[k] === "string" ? (all[k] as string) : "");
  const tiers = ([] as unknown[]).concat(all.eligibleTiers ?? []).filter((t): t is string => typeof t === "string");
  const values: RoundFormValues = {
    title: text("title"), description: text("description"), riskDisclosure: text("riskDisclosure"), price: text("price"), totalShares: text("totalShares"),
    minShares: text("minShares"), maxShares: text("maxShares"), targetShares: text("targetShares"), eligibleTiers: tiers, tierOnSuccess: text("tierOnSuccess"),
    opensAt: text("opensAt"), closesAt: text("closesAt"),
  };
  const input = {
    title: values.title, description: values.description, riskDisclosure: values.riskDisclosure, sharePriceFen: parseYuanToFen(text("price")) ?? NaN,
    totalShares: int(text("totalShares")), minShares: int(text("minShares")), maxShares: int(text("maxShares")), targetShares: int(text("targetShares")),
    eligibleTiers: tiers, tierOnSuccess: values.tierOnSuccess, opensAt: fromLocalInput(text("opensAt")), closesAt: fromLocalInput(text("closesAt")),
  };
  return { values, input };
}

const invalid = (issues: { path: PropertyKey[]; message: string }[]) => `输入有误：${issues.map((i) => `${String(i.path[0])} ${i.message}`).join("；")}`;

/** The crowdfunding console: rounds, subscribers and refunds, the cap table, the dividend pool and declarations. */
export const roundConsole = new Hono<ConsoleEnv>();

async function renderRounds(c: Ctx, extra: { values?: RoundFormValues; error?: string } = {}, status: 200 | 409 | 422 = 200) {
  const [rounds, holders] = await Promise.all([listRounds(c.env.DB), holderCount(c.env.DB)]);
  return c.html(<RoundsPage session={c.var.session} rounds={rounds} holders={holders} values={extra.values ?? roundFormValues()} error={extra.error} notice={NOTICES[c.req.query("done") ?? ""]} />, status);
}

roundConsole.get("/rounds", (c) => renderRounds(c));

roundConsole.post("/rounds", async (c) => {
  const { values, input } = await roundForm(c);
  const parsed = RoundInput.safeParse(input);
  if (!parsed.success) return renderRounds(c, { values, error: invalid(parsed.error.issues) }, 422);
  const result = await attempt(() => createRound(c.env.DB, actor(c), parsed.data));
  if (!result.ok) return renderRounds(c, { values, error: message(result) }, 422);
  return c.redirect(`/admin/rounds/${encodeURIComponent(result.value.id)}?done=created`, 303);
});

async function renderRound(c: Ctx, id: string, extra: { values?: RoundFormValues; error?: string } = {}, status: 200 | 404 | 409 | 422 = 200) {
  const detail = await attempt(() => roundForAdmin(c.env.DB, id.slice(0, 64)));
  if (!detail.ok) return notFoundPage(c, "没有这个众筹。");
  return c.html(<RoundPage session={c.var.session} detail={detail.value} values={extra.values} error={extra.error} notice={NOTICES[c.req.query("done") ?? ""]} />, status);
}

roundConsole.get("/rounds/:id", (c) => renderRound(c, c.req.param("id")));

roundConsole.post("/rounds/:id", async (c) => {
  const id = c.req.param("id");
  const { values, input } = await roundForm(c);
  const parsed = RoundInput.safeParse(input);
  if (!parsed.success) return renderRound(c, id, { values, error: invalid(parsed.error.issues) }, 422);
  const result = await attempt(() => patchRound(c.env.DB, actor(c), id, parsed.data));
  if (!result.ok) return renderRound(c, id, { values, error: message(result) }, result.status === 404 ? 404 : 409);
  return c.redirect(`/admin/rounds/${encodeURIComponent(id)}?done=saved`, 303);
});

roundConsole.post("/rounds/:id/open", async (c) => {
  const id = c.req.param("id");
  const result = await attempt(() => openRound(c.env.DB, actor(c), id));
  if (!result.ok) return renderRound(c, id, { error: message(result) }, result.status === 404 ? 404 : 409);
  return c.redirect(`/admin/rounds/${encodeURIComponent(id)}?done=opened`, 303);
});

roundConsole.post("/rounds/:id/close", async (c) => {
  const id = c.req.param("id");
  if (field(await formEntries(c), "confirm") !== "yes") return renderRound(c, id, { error: "请勾选确认。" }, 422);
  const result = await attempt(() => closeRound(c.env.DB, actor(c), id, Date.now(), { early: true }));
  if (!result.ok) return renderRound(c, id, { error: message(result) }, result.status === 404 ? 404 : 409);
  return c.redirect(`/admin/rounds/${encodeURIComponent(id)}?done=closed`, 303);
});

roundConsole.get("/cap-table", async (c) => c.html(<CapTablePage session={c.var.session} table={await capTable(c.env.DB)} />));

roundConsole.get("/cap-table.csv", async (c) => {
  const csv = capTableCsv(await capTable(c.env.DB));
  return c.body("\uFEFF" + csv, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="cap-table.csv"' });
});

async function renderDividends(c: Ctx, extra: { values?: Record<string, string>; error?: string } = {}, status: 200 | 409 | 422 = 200) {
  const [balances, declarations] = await Promise.all([
    c.env.DB.prepare("SELECT id, credits_posted - debits_posted - debits_pending AS fen FROM accounts WHERE id IN (?, ?)").bind(accountId("dividend_pool"), accountId("revenue_course")).all<{ id: string; fen: number }>(),
    listDeclarations(c.env.DB),
  ]);
  const fen = (id: string) => balances.results.find((b) => b.id === id)?.fen ?? 0;
  return c.html(
    <DividendsPage session={c.var.session} poolFen={fen("dividend_pool")} revenueFen={fen("revenue_course")} declarations={declarations} values={extra.values} error={extra.error} notice={NOTICES[c.req.query("done") ?? ""]} />,
    status,
  );
}

roundConsole.get("/dividends", (c) => renderDividends(c));

roundConsole.post("/dividends/allocate", async (c) => {
  const form = await formEntries(c);
  const values = { amount: field(form, "amount").trim(), reason: field(form, "reason").trim() };
  const parsed = AllocationInput.safeParse({ amountFen: parseYuanToFen(values.amount) ?? NaN, reason: values.reason });
  if (!parsed.success) return renderDividends(c, { values, error: "金额请填写以元为单位的正数（最多两位小数），并填写说明。" }, 422);
  const result = await attempt(() => allocateToPool(c.env.DB, actor(c), parsed.data));
  if (!result.ok) return renderDividends(c, { values, error: message(result) }, 409);
  return c.redirect("/admin/dividends?done=allocated", 303);
});

roundConsole.post("/dividends/declare", async (c) => {
  const form = await formEntries(c);
  const values = { period: field(form, "period").trim(), declareAmount: field(form, "declareAmount").trim(), roundId: field(form, "roundId").trim() };
  if (field(form, "confirm") !== "yes") return renderDividends(c, { values, error: "请勾选确认。" }, 422);
  const parsed = DeclarationInput.safeParse({ period: values.period, amountFen: parseYuanToFen(values.declareAmount) ?? NaN, roundId: values.roundId || undefined });
  if (!parsed.success) return renderDividends(c, { values, error: invalid(parsed.error.issues) }, 422);
  const result = await attempt(() => declareDividend(c.env.DB, actor(c), parsed.data));
  if (!result.ok) return renderDividends(c, { values, error: message(result) }, 409);
  return c.redirect("/admin/dividends?done=declared", 303);
});
