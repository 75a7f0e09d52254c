import { Hono, type Context } from "hono";
import { z } from "zod";
import { beijingLocalInput, beijingLocalToIso, DAY_MS } from "../../calendar/beijing";
import type { ConsoleEnv } from "../../console/context";
import { attempt } from "../../console/errors";
import { field, formEntries } from "../../console/form";
import { parseYuanToFen } from "../../console/money";
import { adminLotDetail, createLot, listAllLots, type Actor } from "../admin";
import { listSales, listUnsold, recordShipment, SALE_VIEWS, ShipmentInput } from "../sales";
import { LotInput } from "../schemas";
import { LotDetailPage, LotsPage, NewLotPage, SalesPage, type FieldErrors, type LotFormValues } from "./pages";
import { notFoundPage } from "../../console/error-pages";

type Ctx = Context<ConsoleEnv>;

/** Auctions in the console: the same services as /api/admin/lots (same rules, same audit rows), fed from forms. */
export const lotConsole = new Hono<ConsoleEnv>();

const actor = (c: Ctx): Actor => ({ actorId: c.var.session.admin.id, requestId: c.var.requestId });
const DONE: Record<string, string> = { created: "拍品已创建。", shipped: "发货信息已保存。" };

/** "1000:10, 5000:50, :100" (yuan) → ladder rungs in fen; null when malformed. */
export function parseLadder(text: string): { belowFen: number | null; stepFen: number }[] | null {
  const rungs = text.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  const out = [];
  for (const rung of rungs) {
    const m = /^([^:：]*)[:：](.+)$/.exec(rung);
    if (!m) return null;
    const below = m[1].trim() === "" ? null : parseYuanToFen(m[1]);
    const step = parseYuanToFen(m[2]);
    if ((m[1].trim() !== "" && below === null) || step === null) return null;
    out.push({ belowFen: below, stepFen: step });
  }
  return out.length ? out : null;
}

function blankForm(now = Date.now()): LotFormValues {
  return {
    title: "", instructor: "", description: "", startPrice: "", reservePrice: "", deposit: "0", ladder: "1000:10, 5000:50, :100",
    startsAt: beijingLocalInput(now), endsAt: beijingLocalInput(now + DAY_MS), windowSec: "60", extendSec: "60", maxExtensions: "10",
    paymentDeadlineHours: "72", commissionable: false,
  };
}

const FIELD_OF: Record<string, string> = { startPriceFen: "startPrice", reservePriceFen: "reservePrice", depositFen: "deposit", incrementLadder: "ladder", antiSniping: "windowSec" };

lotConsole.get("/lots", async (c) => {
  const cursor = z.string().max(200).optional().catch(undefined).parse(c.req.query("cursor"));
  const page = await attempt(() => listAllLots(c.var.db, { limit: 50, cursor }));
  if (!page.ok) return c.html(<p>400 · 无效的分页参数。</p>, 400);
  return c.html(<LotsPage session={c.var.session} rows={page.value.items} nextCursor={page.value.nextCursor} />);
});

lotConsole.get("/lots/new", (c) => c.html(<NewLotPage session={c.var.session} values={blankForm()} />));

lotConsole.post("/lots", async (c) => {
  const form = await formEntries(c);
  const v: LotFormValues = { ...blankForm(), commissionable: field(form, "commissionable") === "yes" };
  for (const k of Object.keys(v) as (keyof LotFormValues)[]) if (k !== "commissionable") v[k] = field(form, k).trim();
  v.description = field(form, "description");
  const errors: FieldErrors = {};
  const money = (k: "startPrice" | "reservePrice" | "deposit", optional: boolean) => {
    if (optional && v[k] === "") return null;
    const fen = parseYuanToFen(v[k]);
    if (fen === null) errors[k] = "请输入以元为单位的金额，最多两位小数。";
    return fen;
  };
  const int = (k: "windowSec" | "extendSec" | "maxExtensions" | "paymentDeadlineHours") => {
    if (!/^\d{1,6}$/.test(v[k])) errors[k] = "请输入非负整数。";
    return Number(v[k]);
  };
  const ladder = parseLadder(v.ladder);
  if (!ladder) errors.ladder = "格式如 1000:10, 5000:50, :100（元）。";
  const startsAt = beijingLocalToIso(v.startsAt);
  const endsAt = beijingLocalToIso(v.endsAt);
  if (!startsAt) errors.startsAt = "请选择时间。";
  if (!endsAt) errors.endsAt = "请选择时间。";
  const input = {
    title: v.title, instructor: v.instructor, description: v.description,
    startPriceFen: money("startPrice", false), reservePriceFen: money("reservePrice", true), depositFen: money("deposit", false) ?? 0,
    incrementLadder: ladder, startsAt, endsAt,
    antiSniping: { windowSec: int("windowSec"), extendSec: int("extendSec"), maxExtensions: int("maxExtensions") },
    paymentDeadlineHours: int("paymentDeadlineHours"), commissionable: v.commissionable,
  };
  const parsed = LotInput.safeParse(input);
  if (!parsed.success) for (const i of parsed.error.issues) errors[FIELD_OF[String(i.path[0])] ?? String(i.path[0])] ??= i.message;
  if (Object.keys(errors).length || !parsed.success) return c.html(<NewLotPage session={c.var.session} values={v} errors={errors} error="请修正标出的字段。" />, 422);

  const created = await attempt(() => createLot(c.var.db, c.env, actor(c), parsed.data));
  if (!created.ok) return c.html(<NewLotPage session={c.var.session} values={v} errors={{ endsAt: created.error }} error={created.error} />, 422);
  return c.redirect(`/admin/lots/${encodeURIComponent(created.value.id)}?done=created`, 303);
});

lotConsole.get("/lots/sales/:view", async (c) => {
  const view = z.enum(SALE_VIEWS).safeParse(c.req.param("view"));
  if (!view.success) return notFoundPage(c);
  const [rows, unsold] = await Promise.all([listSales(c.var.db, view.data), view.data === "results" ? listUnsold(c.var.db) : Promise.resolve([])]);
  return c.html(<SalesPage session={c.var.session} view={view.data} rows={rows} unsold={unsold} notice={DONE[c.req.query("done") ?? ""]} />);
});

lotConsole.get("/lots/:id", async (c) => {
  const detail = await attempt(() => adminLotDetail(c.var.db, c.req.param("id")));
  if (!detail.ok) return notFoundPage(c, "没有这个拍品。");
  return c.html(<LotDetailPage session={c.var.session} detail={detail.value} notice={DONE[c.req.query("done") ?? ""]} />);
});

lotConsole.post("/lots/:id/shipment", async (c) => {
  const form = await formEntries(c);
  const parsed = ShipmentInput.safeParse({ carrier: field(form, "carrier"), trackingNo: field(form, "trackingNo") });
  const rows = () => listSales(c.var.db, "shipments");
  if (!parsed.success) return c.html(<SalesPage session={c.var.session} view="shipments" rows={await rows()} unsold={[]} error="请填写快递公司和运单号（4–40 位字母、数字或短横线）。" />, 422);
  const done = await attempt(() => recordShipment(c.var.db, actor(c), c.req.param("id"), parsed.data));
  if (!done.ok) return c.html(<SalesPage session={c.var.session} view="shipments" rows={await rows()} unsold={[]} error={done.error} />, done.status === 404 ? 404 : 409);
  return c.redirect("/admin/lots/sales/shipments?done=shipped", 303);
});
