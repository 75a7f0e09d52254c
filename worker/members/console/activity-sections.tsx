import { formatTime } from "../../console/layout";
import { formatFen } from "../../console/money";
import { ORDER_STATUS_LABELS } from "../../orders/console/pages";
import type { MemberActivity } from "./activity";

/** The member page's orders (paged), courses and earnings. */
const SOURCE_LABELS: Record<string, string> = { order: "购买", tier: "等级赠送", admin: "管理员开通" };
const at = (ms: number | null) => formatTime(ms === null ? null : new Date(ms));

export function MemberEarnings({ e }: { e: MemberActivity["earnings"] }) {
  const figures: [string, number, string][] = [
    ["frozen", e.frozenFen, "冻结中佣金"],
    ["available", e.availableFen, "可提现佣金"],
    ["in-flight", e.inFlightFen, "提现处理中"],
    ["withdrawn", e.withdrawnFen, "累计已提现"],
    ["debt", e.debtFen, "佣金欠款"],
    ["dividends", e.dividendsFen, "可提现分红"],
    ["lifetime", e.lifetimeFen, "累计佣金"],
  ];
  return (
    <div class="stats" data-testid="member-earnings">
      {figures.map(([key, fen, label]) => (
        <div class="stat" data-figure={key}>
          <b>{formatFen(fen)}</b>
          <span>{label}</span>
        </div>
      ))}
    </div>
  );
}

export function MemberOrders({ memberId, orders }: { memberId: string; orders: MemberActivity["orders"] }) {
  const base = `/admin/members/${encodeURIComponent(memberId)}`;
  if (orders.items.length === 0) return <div class="card muted">没有订单</div>;
  return (
    <>
      <table data-testid="member-orders">
        <thead>
          <tr><th>订单号</th><th>内容</th><th class="num">金额</th><th class="num">已退款</th><th>状态</th><th>下单时间（北京）</th></tr>
        </thead>
        <tbody>
          {orders.items.map((o) => (
            <tr data-order-id={o.id}>
              <td class="mono"><a href={`/admin/orders/${encodeURIComponent(o.id)}`}>{o.id}</a></td>
              <td>{o.description}</td>
              <td class="num">{formatFen(o.amount_fen)}</td>
              <td class="num">{o.refunded_fen ? formatFen(o.refunded_fen) : <span class="muted">—</span>}</td>
              <td><span class={`tag ${o.status}`}>{ORDER_STATUS_LABELS[o.status] ?? o.status}</span></td>
              <td class="mono">{at(o.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="pager">
        <a href={`${base}#orders`}>« 最新订单</a>
        {orders.nextCursor ? <a href={`${base}?orders=${encodeURIComponent(orders.nextCursor)}#orders`} rel="next">更早的订单 »</a> : null}
        <a href={`/admin/orders?q=${encodeURIComponent(memberId)}`}>在订单列表中查看</a>
      </div>
    </>
  );
}

export function MemberCourses({ courses }: { courses: MemberActivity["courses"] }) {
  if (courses.length === 0) return <div class="card muted">没有已开通的课程</div>;
  return (
    <table data-testid="member-courses">
      <thead>
        <tr><th>课程</th><th>开通方式</th><th>开通时间</th><th>状态</th></tr>
      </thead>
      <tbody>
        {courses.map((e) => (
          <tr data-course-id={e.courseId}>
            <td><a href={`/admin/courses/${encodeURIComponent(e.courseId)}`}>{e.title ?? e.courseId}</a></td>
            <td>
              {SOURCE_LABELS[e.source] ?? e.source}
              {e.orderId ? <> · <a class="mono" href={`/admin/orders/${encodeURIComponent(e.orderId)}`}>{e.orderId}</a></> : null}
            </td>
            <td class="mono">{formatTime(e.grantedAt)}</td>
            <td>{e.revokedAt ? <span class="tag blocked">已收回（{formatTime(e.revokedAt)}）</span> : "有效"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
