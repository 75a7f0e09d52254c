// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { buildMiniProgram, installWx, launchApp, renderPage, texts, until } from "./support/wx-env";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

async function loginAs(worker: Worker, openid: string, nickname: string, tier = "member", referrerId: string | null = null) {
  const res = await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}` }) });
  const { member } = (await res.json()) as { member: { id: string } };
  const id = (await worker.db.prepare("select id from members where openid = ?").bind(openid).first<{ id: string }>())!.id;
  await worker.db.prepare("update members set nickname = ?, tier = ?, referrer_id = ?, bound_at = ? where id = ?").bind(nickname, tier, referrerId, Date.now(), id).run();
  return { ...member, id };
}

describe("推广中心 and 我的 against the real worker", () => {
  let worker: Worker;
  beforeAll(async () => {
    [worker] = await Promise.all([startLocalWorker(), buildMiniProgram()]);
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("shows balances, a 30-day chart, records and the team, and fetches the poster", async () => {
    const partner = await loginAs(worker, "mp-partner", "推广员老李", "promoter");
    const buyer = await loginAs(worker, "mp-buyer", "王小明", "member", partner.id);
    const now = Date.now();
    // A paid order with its accrued commission and the frozen balance it put on the partner's account.
    await worker.db.batch([
      worker.db.prepare("insert into orders (id, kind, member_id, subject_id, description, amount_fen, status, expires_at, created_at, updated_at) values ('mp-o1', 'course', ?, 'c1', '书法入门', 9900, 'paid', ?, ?, ?)").bind(buyer.id, now, now, now),
      worker.db.prepare("insert into commissions (id, order_id, earner_id, buyer_id, level, tier, rate_bps, base_fen, amount_fen, status, available_at, created_at, updated_at) values ('commission:mp-o1:1', 'mp-o1', ?, ?, 1, 'promoter', 1000, 9900, 990, 'frozen', ?, ?, ?)").bind(partner.id, buyer.id, now + 7 * 86_400_000, now, now),
      worker.db.prepare("insert or ignore into accounts (id, code, owner, flags, created_at) values ('commission_expense', 'commission_expense', null, 0, ?1), (?2, 'commission_frozen', ?3, 1, ?1)").bind(now, `commission_frozen:${partner.id}`, partner.id),
      worker.db.prepare("insert into transfers (id, debit_account_id, credit_account_id, amount, code, reference, flags, created_at) values ('commission:mp-o1:1', 'commission_expense', ?, 990, 'commission_accrued', 'order:mp-o1', 0, ?)").bind(`commission_frozen:${partner.id}`, now),
      worker.db.prepare("insert into member_spend (member_id, lifetime_fen, updated_at) values (?, 9900, ?)").bind(buyer.id, now),
    ]);

    const wx = installWx(worker, { openid: "mp-partner" });
    const g = globalThis as any;
    const downloads: { status: number; png: boolean }[] = [];
    g.wx.downloadFile = (opts: any) => {
      void fetch(worker.url + new URL(opts.url).pathname, { headers: opts.header }).then(async (res) => {
        const bytes = new Uint8Array(await res.arrayBuffer());
        downloads.push({ status: res.status, png: bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 });
        opts.success?.({ statusCode: res.status, tempFilePath: "wxfile://tmp/poster.png" });
      });
    };
    launchApp();
    const page = renderPage("pages/partner/index");
    page.instance.onLoad({});
    await until(() => texts(page, ".record .title").length === 1, "the commission records");
    expect(texts(page, ".balances .frozen")).toEqual(["¥9.90"]);
    expect(texts(page, ".balances .lifetime")).toEqual(["¥9.90"]);
    expect(page.querySelectorAll(".bar-slot")).toHaveLength(30);
    expect(texts(page, ".record .title")).toEqual(["书法入门"]);
    expect(texts(page, ".record .amount")).toEqual(["¥9.90"]);
    expect(texts(page, ".record .status")[0]).toContain("冻结中");
    expect(texts(page, ".record .muted").join(" ")).toContain("王**");

    page.querySelectorAll(".tab")[1].dispatchEvent("tap");
    await until(() => texts(page, ".member .nickname").length === 1, "the level-1 team");
    expect(texts(page, ".member .nickname")).toEqual(["王小明"]);
    expect(texts(page, ".member .muted")[0]).toContain("已购课");

    page.querySelector(".poster-button")!.dispatchEvent("tap");
    await until(() => page.querySelectorAll(".poster").length === 1, "the poster");
    expect(downloads).toEqual([{ status: 200, png: true }]);
    expect(wx.requests.every((r) => r.status === 200)).toBe(true);
  });

  it("我的: a member sets a nickname with WeChat's control and applies to become a promoter", async () => {
    await loginAs(worker, "mp-plain", "", "member");
    const wx = installWx(worker, { openid: "mp-plain" });
    launchApp();
    const me = renderPage("pages/me/index");
    me.instance.onLoad();
    await until(() => me.querySelectorAll(".apply-promoter").length === 1, "the application entry");
    expect(me.querySelectorAll(".partner-center")).toHaveLength(0);

    await me.instance.onNicknameBlur({ detail: { value: "新昵称" } });
    expect(await worker.db.prepare("select nickname from members where openid = 'mp-plain'").first("nickname")).toBe("新昵称");

    me.querySelector(".apply-promoter")!.dispatchEvent("tap");
    await until(() => wx.toasts.length === 1, "the confirmation");
    expect(wx.toasts).toEqual(["申请已提交，请等待审核"]);
    expect(texts(me, ".apply-promoter .label")).toEqual(["推广员申请审核中"]);
    const row = await worker.db.prepare("select a.status from partner_applications a join members m on m.id = a.member_id where m.openid = 'mp-plain'").first("status");
    expect(row).toBe("pending");
  });
});
