import { formatFen } from "../../console/money";
import { TIER_LABELS, formatTime } from "../../console/layout";

/** Pieces other domains' console pages show (a member's commissions and tier history, an order's commissions). */
export const COMMISSION_STATUS_LABELS: Record<string, string> = { frozen: "冻结中", available: "可提现", cancelled: "已取消", clawed_back: "已追回" };

export type CommissionLine = {
  id: string; order_id: string; earner_id: string; earner_nickname: string | null; buyer_id: string; level: number; rate_bps: number;
  amount_fen: number; cancelled_fen: number; settled_fen: number; clawed_back_fen: number; status: string; available_at: number; created_at: number;
};
export type TierChangeLine = { from_tier: string; to_tier: string; reason: string; source: string; actor_id: string | null; created_at: number };

const SELECT = "SELECT c.*, m.nickname AS earner_nickname FROM commissions c LEFT JOIN members m ON m.id = c.earner_id";

export async function orderCommissions(d1: D1Database, orderId: string): Promise<CommissionLine[]> {
  return (await d1.prepare(`${SELECT} WHERE c.order_id = ? ORDER BY c.level`).bind(orderId).all<CommissionLine>()).results;
}

/** A member's latest commissions and tier history, for their console page (bounded). */
export async function memberCommissionPanel(d1: D1Database, memberId: string) {
  const [commissions, tiers] = await d1.batch([
    d1.prepare(`${SELECT} WHERE c.earner_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT 50`).bind(memberId),
    d1.prepare("SELECT * FROM tier_changes WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT 50").bind(memberId),
  ]);
  return { commissions: commissions.results as CommissionLine[], tierChanges: tiers.results as TierChangeLine[] };
}

const at = (ms: number) => formatTime(new Date(ms));

export const commissionLevel = (level: number) => (level === 1 ? "一级" : "二级");
/** Basis points as a percentage without trailing zeros: 1250 → "12.5%". */
export const commissionRate = (bps: number) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, "")}%`;

type CommissionFigures = Pick<CommissionLine, "level" | "rate_bps" | "amount_fen" | "cancelled_fen" | "clawed_back_fen" | "status" | "created_at" | "available_at">;

/** The header of CommissionCells, in the same order; `createdAt` adds the accrual time (佣金记录 shows it). */
export function CommissionHeadCells({ createdAt = false }: { createdAt?: boolean }) {
  return (
    <>
      <th>级别</th><th class="num">比例</th><th class="num">佣金</th><th class="num">已取消</th><th class="num">已追回</th><th>状态</th>
      {createdAt ? <th>产生时间（北京）</th> : null}
      <th>解冻时间</th>
    </>
  );
}

/** A commission's own cells (level, rate, amounts, status, times): the same in 佣金记录 and on member and order pages. */
export function CommissionCells({ c, createdAt = false }: { c: CommissionFigures; createdAt?: boolean }) {
  return (
    <>
      <td>{commissionLevel(c.level)}</td>
      <td class="num">{commissionRate(c.rate_bps)}</td>
      <td class="num">{formatFen(c.amount_fen)}</td>
      <td class="num">{formatFen(c.cancelled_fen)}</td>
      <td class="num">{formatFen(c.clawed_back_fen)}</td>
      <td>{COMMISSION_STATUS_LABELS[c.status] ?? c.status}</td>
      {createdAt ? <td class="mono">{at(c.created_at)}</td> : null}
      <td class="mono">{at(c.available_at)}</td>
    </>
  );
}

export function CommissionsTable({ rows, show }: { rows: CommissionLine[]; show: "earner" | "order" }) {
  if (rows.length === 0) return <div class="card muted">没有佣金记录</div>;
  return (
    <table data-testid="commissions-table">
      <thead>
        <tr>
          <th>{show === "earner" ? "获佣会员" : "订单"}</th>
          <CommissionHeadCells />
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr data-commission-id={c.id}>
            <td>
              {show === "earner" ? (
                <a href={`/admin/members/${encodeURIComponent(c.earner_id)}`}>{c.earner_nickname || c.earner_id}</a>
              ) : (
                <a class="mono" href={`/admin/orders/${encodeURIComponent(c.order_id)}`}>{c.order_id}</a>
              )}
            </td>
            <CommissionCells c={c} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SOURCE_LABELS: Record<string, string> = { trigger: "自动升级", application: "申请通过", admin: "管理员调整" };

export function TierHistoryTable({ rows }: { rows: TierChangeLine[] }) {
  if (rows.length === 0) return <div class="card muted">没有等级变更</div>;
  return (
    <table data-testid="tier-history">
      <thead><tr><th>时间</th><th>原等级</th><th>新等级</th><th>方式</th><th>原因</th><th>操作人</th></tr></thead>
      <tbody>
        {rows.map((t) => (
          <tr>
            <td class="mono">{at(t.created_at)}</td>
            <td>{TIER_LABELS[t.from_tier] ?? t.from_tier}</td>
            <td>{TIER_LABELS[t.to_tier] ?? t.to_tier}</td>
            <td>{SOURCE_LABELS[t.source] ?? t.source}</td>
            <td>{t.reason}</td>
            <td class="mono">{t.actor_id ?? "系统"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
