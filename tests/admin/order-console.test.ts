import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkLedgerAfterEach, deliver, orderRow, paidOrder, placeOrder, sandbox, seedCourse } from "../orders/support";
import { call, mintMember } from "../support/api";
import { auditRows, fetchWorker, loginSession, ORIGIN, seedAdmin } from "./support";

type Session = Awaited<ReturnType<typeof loginSession>>;

function refund(s: Session, orderId: string, fields: Record<string, string>, csrf: string | null = s.csrf) {
  const body = new URLSearchParams(fields);
  if (csrf !== null) body.set("_csrf", csrf);
  return fetchWorker(`/admin/orders/${orderId}/refund`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: s.cookie }, body });
}

const page = async (s: Session, path: string) => (await fetchWorker(path, { headers: { cookie: s.cookie } })).text();
const orderIds = (html: string) => [...html.matchAll(/data-order-id="([^"]+)"/g)].map((m) => m[1]);

checkLedgerAfterEach();

describe("the console's order pages", () => {
  it("refund part of a paid order in yuan, then the rest, through WeChat Pay, with an audit row each", async () => {
    await seedAdmin("olga");
    const s = await loginSession("olga");
    const member = (await mintMember({ id: "m-olga" })).token;
    await seedCourse("c-olga", 9990);
    const { orderId } = await paidOrder(member, "c-olga");

    expect((await refund(s, orderId, { amount: "12.345", reason: "部分", confirm: "yes" })).status).toBe(422);
    expect((await refund(s, orderId, { amount: "0", reason: "部分", confirm: "yes" })).status).toBe(422);
    expect((await refund(s, orderId, { amount: "10", reason: "", confirm: "yes" })).status).toBe(422);
    expect((await refund(s, orderId, { amount: "10", reason: "部分" })).status).toBe(422);
    const tooMuch = await refund(s, orderId, { amount: "99.91", reason: "部分", confirm: "yes" });
    expect(tooMuch.status).toBe(409);
    expect(await tooMuch.text()).toContain("超过该订单还可退的金额");
    expect(await orderRow(orderId)).toMatchObject({ status: "paid", refund_pending_fen: 0, refund_count: 0 });
    expect(await auditRows("order.refund_requested")).toHaveLength(0);

    const res = await refund(s, orderId, { amount: "0.29", reason: "部分退款", confirm: "yes" });
    expect(res.status).toBe(303);
    expect(await orderRow(orderId)).toMatchObject({ status: "refunding", refund_pending_fen: 29 });
    const [audit] = await auditRows("order.refund_requested");
    expect(audit).toMatchObject({ actor_id: "adm_olga", actor_kind: "admin", target_type: "order", target_id: orderId });
    expect(JSON.parse(audit.after as string)).toMatchObject({ amountFen: 29, reason: "部分退款" });
    const { results: [first] } = await env.DB.prepare("SELECT * FROM refunds WHERE order_id = ?").bind(orderId).all<{ id: string; requested_by: string }>();
    expect(first.requested_by).toBe("adm_olga");
    expect((await deliver(await sandbox(`/sandbox/refund/${first.id}`, { status: "SUCCESS", deliver: false }))).status).toBe(204);

    const detail = await page(s, `/admin/orders/${orderId}`);
    expect(detail).toContain("¥99.90");
    expect(detail).toMatch(/data-testid="order-refunded">¥0.29</);
    expect(detail).toMatch(/data-testid="order-refundable">¥99.61</);

    // Blank amount: everything that is left.
    expect((await refund(s, orderId, { amount: "", reason: "剩余全部", confirm: "yes" })).status).toBe(303);
    expect(await orderRow(orderId)).toMatchObject({ status: "refunding", refund_pending_fen: 9961 });
    expect(await auditRows("order.refund_requested")).toHaveLength(2);
  });

  it("refuse a refund form without the session's CSRF token, and visitors without a session", async () => {
    await seedAdmin("pete");
    const s = await loginSession("pete");
    const member = (await mintMember({ id: "m-pete" })).token;
    await seedCourse("c-pete", 500);
    const { orderId } = await paidOrder(member, "c-pete");
    expect((await refund(s, orderId, { reason: "x", confirm: "yes" }, null)).status).toBe(403);
    expect((await refund(s, orderId, { reason: "x", confirm: "yes" }, "forged")).status).toBe(403);
    const anonymous = await fetchWorker(`/admin/orders/${orderId}/refund`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN }, body: "reason=x&confirm=yes" });
    expect(anonymous.status).toBe(403);
    for (const path of ["/admin/orders", `/admin/orders/${orderId}`]) expect((await fetchWorker(path)).headers.get("location")).toBe("/admin/login");
    expect(await orderRow(orderId)).toMatchObject({ status: "paid", refund_count: 0 });
    expect((await auditRows("order.refund_requested")).filter((r) => r.target_id === orderId)).toHaveLength(0);
  });

  it("audit a refund asked through the API the same way, naming the admin member", async () => {
    const admin = (await mintMember({ id: "a-sara", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-sara" })).token;
    await seedCourse("c-sara", 800);
    const { orderId } = await paidOrder(member, "c-sara");
    expect((await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "API" } })).status).toBe(202);
    const rows = (await auditRows("order.refund_requested")).filter((r) => r.target_id === orderId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: "a-sara", actor_kind: "admin" });
    expect(JSON.parse(rows[0].after as string)).toMatchObject({ amountFen: 800, reason: "API" });
  });

  it("list orders by status and find them by order id or by the member's openid", async () => {
    await seedAdmin("quin");
    const s = await loginSession("quin");
    const buyer = (await mintMember({ id: "m-quin" })).token;
    const other = (await mintMember({ id: "m-quin-2" })).token;
    await seedCourse("c-quin-1", 100);
    await seedCourse("c-quin-2", 200);
    const { orderId: paid } = await paidOrder(buyer, "c-quin-1");
    const pending = (await placeOrder(buyer, "c-quin-2")).order.id;
    const theirs = (await placeOrder(other, "c-quin-1")).order.id;

    expect(orderIds(await page(s, "/admin/orders?status=paid"))).toContain(paid);
    expect(orderIds(await page(s, "/admin/orders?status=paid"))).not.toContain(pending);
    expect(orderIds(await page(s, `/admin/orders?q=${pending}`))).toEqual([pending]);
    expect(new Set(orderIds(await page(s, "/admin/orders?q=openid-m-quin")))).toEqual(new Set([paid, pending]));
    expect(orderIds(await page(s, "/admin/orders?status=pending&q=m-quin-2"))).toEqual([theirs]);
    // A pending order offers no refund form.
    expect(await page(s, `/admin/orders/${pending}`)).not.toContain('data-testid="refund-form"');
    expect(await page(s, `/admin/orders/${paid}`)).toContain('data-testid="refund-form"');
  });

  it("page through a member's orders newest first without repeating one", async () => {
    await seedAdmin("uli");
    const s = await loginSession("uli");
    await mintMember({ id: "m-pages" });
    const t = Date.now();
    await env.DB.batch(
      Array.from({ length: 23 }, (_, i) =>
        env.DB.prepare("INSERT INTO orders (id, member_id, subject_id, description, amount_fen, status, expires_at, created_at, updated_at) VALUES (?, 'm-pages', ?, '课程', 100, 'pending', ?, ?, ?)")
          .bind(`OPAGE${String(i).padStart(3, "0")}`, `c-page-${i}`, t + 1_800_000, t - (i % 5), t),
      ),
    );
    const first = await page(s, "/admin/orders?q=m-pages");
    const next = first.match(/href="([^"]+)" rel="next"/)![1].replace(/&amp;/g, "&");
    const second = await page(s, next);
    expect(orderIds(first)).toHaveLength(20);
    expect(new Set([...orderIds(first), ...orderIds(second)]).size).toBe(23);
    expect(second).not.toContain('rel="next"');
  });

  it("show today's paid orders, revenue and pending refunds on the dashboard", async () => {
    await seedAdmin("rita");
    const s = await loginSession("rita");
    const before = await page(s, "/admin");
    const count = (html: string, id: string) => html.match(new RegExp(`data-testid="${id}"[^>]*><b>([^<]+)</b>`))![1];
    const member = (await mintMember({ id: "m-rita" })).token;
    await seedCourse("c-rita", 12345);
    const { orderId } = await paidOrder(member, "c-rita");
    await refund(s, orderId, { amount: "100", reason: "部分", confirm: "yes" });
    const after = await page(s, "/admin");
    expect(Number(count(after, "paid-today"))).toBe(Number(count(before, "paid-today")) + 1);
    const fen = (text: string) => Number(text.replace(/[¥,.]/g, ""));
    expect(fen(count(after, "revenue-today")) - fen(count(before, "revenue-today"))).toBe(12345);
    expect(Number(count(after, "pending-refunds"))).toBe(Number(count(before, "pending-refunds")) + 1);
  });
});

describe("concurrent refund forms", () => {
  it("reserve one refund and write one audit row when the same full refund is submitted ten times at once", async () => {
    await seedAdmin("tina");
    const s = await loginSession("tina");
    const member = (await mintMember({ id: "m-tina" })).token;
    await seedCourse("c-tina", 3000);
    const { orderId } = await paidOrder(member, "c-tina");
    const answers = await Promise.all(Array.from({ length: 10 }, () => refund(s, orderId, { amount: "", reason: "重复提交", confirm: "yes" })));
    expect(answers.filter((r) => r.status === 303)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(9);
    expect(await orderRow(orderId)).toMatchObject({ status: "refunding", refund_pending_fen: 3000, refund_count: 1 });
    expect((await auditRows("order.refund_requested")).filter((r) => r.target_id === orderId)).toHaveLength(1);
  });
});
