// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { login, startShopWorker } from "./support/shop-env";
import { buildMiniProgram, installWx, launchApp, renderPage, stateText, texts, until } from "./support/wx-env";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

/**
 * wx.requestMerchantTransfer played by the WeChat sandbox: the member accepts on WeChat's receipt page, the sandbox
 * finds the bill by its package and delivers the signed MCHTRANSFER.BILL.FINISHED notification to the worker.
 */
function installReceiptPage(worker: Worker) {
  const state = { confirmed: [] as string[] };
  const g = globalThis as any;
  g.wx.requestMerchantTransfer = (opts: { mchId: string; appId: string; package: string; success?: (r: unknown) => void; fail?: (e: unknown) => void }) => {
    void (async () => {
      const sandbox = await worker.mf.getWorker("wechat-sandbox");
      const res = await sandbox.fetch("https://api.mch.weixin.qq.com/sandbox/merchant-transfer", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ package: opts.package, state: "SUCCESS" }),
      });
      const n = (await res.json()) as { delivered?: number | string };
      if (!res.ok || n.delivered !== 204 || opts.mchId !== "1900000001" || !opts.appId) return opts.fail?.({ errMsg: "requestMerchantTransfer:fail" });
      state.confirmed.push(opts.package);
      opts.success?.({ errMsg: "requestMerchantTransfer:ok" });
    })();
  };
  return state;
}

describe("withdrawing commission in the mini-program", () => {
  let worker: Worker;
  beforeAll(async () => {
    [worker] = await Promise.all([startShopWorker(), buildMiniProgram()]);
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("requests a withdrawal with the fee preview, an admin approves, the member confirms the receipt, and it is paid", async () => {
    const partner = await login(worker, "mp-partner");
    await worker.db.batch([
      worker.db.prepare("update members set tier = 'channel_partner' where id = ?").bind(partner.member.id),
      worker.db.prepare("insert into accounts (id, code, owner, flags, created_at) values ('commission_expense', 'commission_expense', null, 0, 0) on conflict do nothing"),
      worker.db.prepare("insert into accounts (id, code, owner, flags, created_at) values (?, 'commission_available', ?, 1, 0)").bind(`commission_available:${partner.member.id}`, partner.member.id),
      worker.db.prepare("insert into transfers (id, debit_account_id, credit_account_id, amount, code, reference, flags, created_at) values ('earned-1', 'commission_expense', ?, 12345, 'commission_available', 'test', 0, 0)")
        .bind(`commission_available:${partner.member.id}`),
    ]);
    const wx = installWx(worker, { openid: "mp-partner" });
    const receipt = installReceiptPage(worker);
    launchApp();

    const page = renderPage("pages/withdraw/index");
    page.instance.onLoad();
    await until(() => page.instance.data.status === "ready", "the withdraw screen");
    expect(texts(page, ".available")).toEqual(["¥123.45"]);
    page.instance.onAmountInput({ detail: { value: "200" } });
    await until(() => texts(page, ".hint")[0] === "可提现余额 ¥123.45", "the balance hint");
    page.instance.onAmountInput({ detail: { value: "100" } });
    await until(() => texts(page, ".hint")[0] === "手续费 ¥1.00，实际到账 ¥99.00", "the fee preview");
    page.querySelector(".submit")!.dispatchEvent("tap");
    await until(() => wx.navigations.includes("/pages/withdrawals/index"), "the records page");
    expect(wx.requests.find((r) => r.method === "POST" && r.path === "/api/partner/withdrawals")?.status).toBe(201);

    const records = renderPage("pages/withdrawals/index");
    records.instance.onLoad();
    await until(() => texts(records, ".status").length === 1, "the record");
    expect(texts(records, ".status")).toEqual(["待审核"]);
    expect(texts(records, ".detail")).toEqual(["手续费 ¥1.00，到账 ¥99.00"]);

    // An admin approves: the worker creates the WeChat transfer, which waits for the member.
    const admin = await login(worker, "mp-admin");
    await worker.db.prepare("update members set roles = '[\"admin\"]' where id = ?").bind(admin.member.id).run();
    const adminToken = (await login(worker, "mp-admin")).token;
    const { id } = (await worker.db.prepare("select id from withdrawals").first<{ id: string }>())!;
    const approved = await worker.fetch(`/api/admin/withdrawals/${id}/approve`, { method: "POST", headers: { authorization: `Bearer ${adminToken}` } });
    expect(approved.status).toBe(200);
    const approvedBody = (await approved.json()) as { status: string };
    expect(approvedBody.status, JSON.stringify(approvedBody)).toBe("wait_user_confirm");

    records.instance.onShow();
    await until(() => texts(records, ".confirm-receipt").length === 1, "确认收款");
    expect(texts(records, ".status")).toEqual(["待确认收款"]);
    records.querySelector(".confirm-receipt")!.dispatchEvent("tap");
    await until(() => wx.toasts.includes("已到账微信零钱"), "the receipt");
    expect(receipt.confirmed).toHaveLength(1);
    await until(() => texts(records, ".status")[0] === "已到账", "paid in the list");
    expect(texts(records, ".confirm-receipt")).toEqual([]);
  });

  it("shows the empty state without withdrawals", async () => {
    const partner = await login(worker, "mp-empty");
    await worker.db.prepare("update members set tier = 'promoter' where id = ?").bind(partner.member.id).run();
    installWx(worker, { openid: "mp-empty" });
    launchApp();
    const records = renderPage("pages/withdrawals/index");
    records.instance.onLoad();
    await until(() => stateText(records).length > 0 && records.instance.data.status === "empty", "the empty state");
    expect(stateText(records)).toBe("还没有提现记录");
  });
});
