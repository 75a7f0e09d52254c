import { describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

// 提现审核 in a real browser (Debian's Chromium) against the worker and the WeChat sandbox on 127.0.0.1: a partner
// requests a withdrawal above the second-approval threshold through the API; two console admins approve it in turn;
// the worker creates the WeChat merchant transfer, which waits for the member's confirmation.

describe("approving a payout in the console, in Chromium", () => {
  const bed = consoleTestbed({ admins: ["alice", "bruno"], bindings: { LOG_LEVEL: "warn" } });

  it("two different admins approve a large withdrawal; the transfer then waits for the member", async () => {
    const login = await (await bed.worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:console-partner" }) })).json() as { member: { id: string } };
    const id = (await bed.db.prepare("SELECT id FROM members WHERE openid = 'console-partner'").first<{ id: string }>())!.id;
    expect(login.member).toBeDefined();
    await bed.db.batch([
      bed.db.prepare("UPDATE members SET tier = 'channel_partner', nickname = '王合伙人' WHERE id = ?").bind(id),
      bed.db.prepare("INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES ('commission_expense', 'commission_expense', NULL, 0, 0), (?1, 'commission_available', ?2, 1, 0)").bind(`commission_available:${id}`, id),
      bed.db.prepare("INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, code, reference, flags, created_at) VALUES ('console-earning', 'commission_expense', ?1, 800000, 'commission_available', 'test', 0, 0)").bind(`commission_available:${id}`),
    ]);
    const token = (await (await bed.worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:console-partner" }) })).json() as { token: string }).token;
    // From ¥2,000 WeChat needs the payee's real name: the member gives it once.
    const named = await bed.worker.fetch("/api/partner/payee/real-name", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ realName: "王小明" }) });
    expect(named.status).toBe(200);
    const requested = await bed.worker.fetch("/api/partner/withdrawals", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ amountFen: 600_000 }) });
    expect(requested.status).toBe(201);
    const w = (await requested.json()) as { id: string };

    const alice = await bed.loggedIn("alice");
    await alice.click('nav a[href="/admin/payouts"]');
    await alice.click(`a[href="/admin/payouts/${w.id}"]`);
    expect(await alice.textContent('[data-testid="hints"]')).toContain("需两位不同的管理员先后通过");
    expect(await alice.textContent('[data-testid="amount"]')).toBe("¥6,000.00");
    await alice.check('[data-testid="approve-form"] input[name="confirm"]');
    await Promise.all([alice.waitForURL(/done=first/), alice.click('[data-testid="approve-form"] button')]);
    expect(await alice.textContent(".notice")).toContain("等待另一位管理员复核");
    expect(await alice.textContent('[data-testid="approvals"]')).toContain("1/2");

    const bruno = await bed.loggedIn("bruno");
    await bruno.goto(`${bed.worker.url}/admin/payouts?status=pending`);
    await bruno.click(`a[href="/admin/payouts/${w.id}"]`);
    expect(await bruno.textContent('[data-testid="hints"]')).toContain("已有一位管理员通过");
    await bruno.check('[data-testid="approve-form"] input[name="confirm"]');
    await Promise.all([bruno.waitForURL(/done=approved/), bruno.click('[data-testid="approve-form"] button')]);
    expect(await bruno.textContent("h1")).toContain("待确认收款");
    expect(await bruno.textContent('[data-testid="transfers-table"]')).toContain(`withdrawal:${w.id}:net`);

    const sandbox = await bed.worker.mf.getWorker("wechat-sandbox");
    const bill = (await (await sandbox.fetch(`https://api.mch.weixin.qq.com/sandbox/transfer-bills/${w.id}`)).json()) as Record<string, unknown>;
    expect(bill).toMatchObject({ user_name: "王小明", transfer_amount: 600_000, state: "WAIT_USER_CONFIRM" });
    const mine = await bed.worker.fetch(`/api/partner/withdrawals/${w.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await mine.json()).toMatchObject({ status: "wait_user_confirm", approvals: { required: 2, given: 2 }, mchId: "1900000001" });
  });
});
