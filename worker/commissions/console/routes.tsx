import { Hono, type Context } from "hono";
import { z } from "zod";
import { TIERS, type Tier } from "../../http/auth";
import { changeSettings, listSettings } from "../../settings/admin";
import { consoleActor } from "../../console/api-auth";
import { attempt } from "../../console/errors";
import type { ConsoleEnv } from "../../console/context";
import { Messages } from "../../courses/console/pages";
import { field, formEntries } from "../../console/form";
import { Layout, TIER_LABELS, formatTime } from "../../console/layout";
import type { ConsoleSession } from "../../console/session";
import { frozenDays, selfPurchase, tierRuleSettings, tierTriggers, type TierRule } from "../settings";
import { decideApplication, listApplications, type Application } from "../tiers";
import { commissionRecordsConsole } from "./records";

type Ctx = Context<ConsoleEnv>;

/** 分销设置: the commission settings, saved all-or-nothing through PATCH /api/admin/settings' service. */
export const commissionConsole = new Hono<ConsoleEnv>();
commissionConsole.route("/", commissionRecordsConsole);
/** 推广员申请: the same service as /api/admin/partner-applications/:id/approve|reject. */
export const applicationConsole = new Hono<ConsoleEnv>();

type Values = { rules: Record<Tier, TierRule>; frozenDays: number; selfPurchase: boolean; triggers: string };

async function currentValues(d1: D1Database): Promise<Values> {
  const all = new Map((await listSettings(d1)).map((s) => [s.key, s.value]));
  return {
    rules: Object.fromEntries(TIERS.map((t) => [t, all.get(tierRuleSettings[t].key) as TierRule])) as Record<Tier, TierRule>,
    frozenDays: all.get(frozenDays.key) as number,
    selfPurchase: all.get(selfPurchase.key) as boolean,
    triggers: JSON.stringify(all.get(tierTriggers.key)),
  };
}

function SettingsPage(p: { session: ConsoleSession; v: Values; notice?: string; error?: string }) {
  return (
    <Layout title="分销设置" admin={p.session.admin} csrfToken={p.session.csrfToken} active="commissions">
      <h1>分销设置 <a class="button" href="/admin/commissions/records" data-testid="commission-records-link">佣金记录</a></h1>
      <p class="muted">最多两级（法律规定，不可设置）；没有推广资格的上级被跳过，其份额不会上移。修改只影响之后创建的订单，已产生的佣金不变。</p>
      <Messages notice={p.notice} error={p.error} />
      <form class="card form" method="post" action="/admin/commissions" data-testid="commission-settings-form">
        <input type="hidden" name="_csrf" value={p.session.csrfToken} />
        <table>
          <thead><tr><th>等级</th><th>可获佣金</th><th class="num">一级比例（基点，100 = 1%）</th><th class="num">二级比例（基点）</th></tr></thead>
          <tbody>
            {TIERS.map((t) => (
              <tr>
                <td>{TIER_LABELS[t] ?? t}</td>
                <td><input type="checkbox" name={`${t}.mayEarn`} value="yes" checked={p.v.rules[t].mayEarn} data-testid={`may-earn-${t}`} /></td>
                <td class="num"><input type="number" min="0" max="10000" name={`${t}.level1Bps`} value={String(p.v.rules[t].level1Bps)} data-testid={`level1-${t}`} /></td>
                <td class="num"><input type="number" min="0" max="10000" name={`${t}.level2Bps`} value={String(p.v.rules[t].level2Bps)} data-testid={`level2-${t}`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <label class="field"><span>佣金冻结期（天，退款期）</span><input type="number" min="0" max="365" name="frozenDays" value={String(p.v.frozenDays)} /></label>
        <label class="check"><input type="checkbox" name="selfPurchase" value="yes" checked={p.v.selfPurchase} /> 自购返佣（有推广资格的会员自己购买也获得一级佣金）</label>
        <label class="field">
          <span>自动升级条件（JSON，例如 [{"{"}"tier":"promoter","minLifetimeSpendFen":100000{"}"}]）</span>
          <input type="text" name="tierTriggers" value={p.v.triggers} />
        </label>
        <div><button type="submit">保存分销设置</button></div>
      </form>
    </Layout>
  );
}

commissionConsole.get("/commissions", async (c) => {
  // A link to the commissions of some days (概览's figures link with ?from=&to=) means the records, not the settings.
  const query = new URL(c.req.url).search;
  if (["from", "to", "status", "earner"].some((k) => c.req.query(k) !== undefined)) return c.redirect(`/admin/commissions/records${query}`, 303);
  return c.html(<SettingsPage session={c.var.session} v={await currentValues(c.env.DB)} notice={c.req.query("done") === "saved" ? "分销设置已保存，之后的订单按新规则计算。" : undefined} />);
});

const int = (s: string) => (/^\d{1,6}$/.test(s.trim()) ? Number(s.trim()) : NaN);

commissionConsole.post("/commissions", async (c: Ctx) => {
  const form = await formEntries(c);
  const patch: Record<string, unknown> = {};
  for (const t of TIERS) {
    patch[tierRuleSettings[t].key] = { mayEarn: field(form, `${t}.mayEarn`) === "yes", level1Bps: int(field(form, `${t}.level1Bps`)), level2Bps: int(field(form, `${t}.level2Bps`)) };
  }
  patch[frozenDays.key] = int(field(form, "frozenDays"));
  patch[selfPurchase.key] = field(form, "selfPurchase") === "yes";
  const rerender = async (error: string) => c.html(<SettingsPage session={c.var.session} v={await currentValues(c.env.DB)} error={error} />, 422);
  try {
    patch[tierTriggers.key] = JSON.parse(field(form, "tierTriggers") || "[]");
  } catch {
    return rerender("自动升级条件不是有效的 JSON。没有保存任何设置。");
  }
  const result = await attempt(() => changeSettings(c.env.DB, consoleActor(c.var.session), patch, c.var.requestId));
  if (!result.ok) return rerender(`${result.error} 没有保存任何设置。`);
  return c.redirect("/admin/commissions?done=saved", 303);
});

const STATUS_LABELS: Record<string, string> = { pending: "待审核", approved: "已通过", rejected: "已拒绝" };

function ApplicationsPage(p: { session: ConsoleSession; status: string; rows: Application[]; notice?: string; error?: string }) {
  return (
    <Layout title="推广员申请" admin={p.session.admin} csrfToken={p.session.csrfToken} active="applications">
      <h1>推广员申请</h1>
      <p>
        {Object.entries(STATUS_LABELS).map(([s, label]) => (
          <>{s === p.status ? <strong>{label}</strong> : <a href={`/admin/partner-applications?status=${s}`}>{label}</a>} </>
        ))}
      </p>
      <Messages notice={p.notice} error={p.error} />
      {p.rows.length === 0 ? (
        <div class="card muted">没有申请</div>
      ) : (
        <table data-testid="applications-table">
          <thead><tr><th>会员</th><th>当前等级</th><th>申请说明</th><th>申请时间</th><th>状态</th><th>处理</th></tr></thead>
          <tbody>
            {p.rows.map((a) => (
              <tr data-application-id={a.id}>
                <td><a href={`/admin/members/${encodeURIComponent(a.memberId)}`}>{a.nickname}</a></td>
                <td>{TIER_LABELS[a.tier] ?? a.tier}</td>
                <td>{a.note || "—"}</td>
                <td class="mono">{formatTime(new Date(a.createdAt))}</td>
                <td>{STATUS_LABELS[a.status]}{a.decisionReason ? `（${a.decisionReason}）` : ""}</td>
                <td>
                  {a.status === "pending" ? (
                    <form method="post" action={`/admin/partner-applications/${encodeURIComponent(a.id)}/decide`} class="inline" data-testid="decide-form">
                      <input type="hidden" name="_csrf" value={p.session.csrfToken} />
                      <input type="text" name="reason" required maxlength={200} placeholder="原因（必填）" />
                      <button type="submit" name="decision" value="approved">通过</button>
                      <button class="danger" type="submit" name="decision" value="rejected">拒绝</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

const Status = z.enum(["pending", "approved", "rejected"]).catch("pending");
const DONE: Record<string, string> = { approved: "已通过，该会员已成为推广员。", rejected: "已拒绝该申请。" };

applicationConsole.get("/partner-applications", async (c) => {
  const status = Status.parse(c.req.query("status"));
  return c.html(<ApplicationsPage session={c.var.session} status={status} rows={await listApplications(c.env.DB, status)} notice={DONE[c.req.query("done") ?? ""]} />);
});

const Decision = z.object({ decision: z.enum(["approved", "rejected"]), reason: z.string().trim().min(1).max(200) });

applicationConsole.post("/partner-applications/:id/decide", async (c: Ctx) => {
  const form = await formEntries(c);
  const parsed = Decision.safeParse({ decision: field(form, "decision"), reason: field(form, "reason") });
  const rerender = async (error: string, status: 404 | 409 | 422) =>
    c.html(<ApplicationsPage session={c.var.session} status="pending" rows={await listApplications(c.env.DB, "pending")} error={error} />, status);
  if (!parsed.success) return rerender("请选择通过或拒绝，并填写原因。", 422);
  const session = c.var.session;
  const result = await attempt(() => decideApplication(c.env.DB, c.req.param("id") ?? "", parsed.data.decision, parsed.data.reason, { id: consoleActor(session).adminId ?? session.admin.id, requestId: c.var.requestId }));
  if (!result.ok) return rerender(result.error, result.status === 404 ? 404 : result.status === 422 ? 422 : 409);
  return c.redirect(`/admin/partner-applications?done=${parsed.data.decision}`, 303);
});
