import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../worker/scheduled";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { adminToken, api, openRound, paySubscription, roundRow, seedMembers, subscribe } from "./support";

const balance = async (id: string) => {
  const row = await env.DB.prepare("SELECT credits_posted - debits_posted AS fen FROM accounts WHERE id = ?").bind(id).first<{ fen: number }>();
  return row?.fen ?? 0;
};
const tierOf = async (id: string) => (await env.DB.prepare("SELECT tier FROM members WHERE id = ?").bind(id).first<{ tier: string }>())!.tier;

describe("closing a round", () => {
  it("target met: escrow becomes equity capital, paid shares enter the cap table, subscribers get the round's tier; unpaid reservations expire", async () => {
    const id = await openRound({ totalShares: 100, targetShares: 10, maxShares: 20 });
    const [a, b, c] = await seedMembers("win", 3);
    const sa = (await subscribe(a, id, 6)).body.subscription.id;
    const sb = (await subscribe(b, id, 4)).body.subscription.id;
    await subscribe(c, id, 5); // never paid
    await paySubscription(sa);
    await paySubscription(sb);
    expect(await balance(`crowdfund_escrow:${id}`)).toBe(1_000_000);

    const token = await adminToken();
    const closed = await api(`/api/admin/rounds/${id}/close`, { token, method: "POST" });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: "succeeded", soldShares: 10, reservedShares: 0 });
    expect(await balance(`crowdfund_escrow:${id}`)).toBe(0);
    expect(await balance("equity_capital")).toBe(1_000_000);
    const holdings = await env.DB.prepare("SELECT member_id, shares FROM share_holdings WHERE round_id = ? ORDER BY member_id").bind(id).all();
    expect(holdings.results).toEqual([{ member_id: "win-0", shares: 6 }, { member_id: "win-1", shares: 4 }]);
    expect([await tierOf("win-0"), await tierOf("win-1"), await tierOf("win-2")]).toEqual(["shareholder", "shareholder", "channel_partner"]);
    const tierAudit = await env.DB.prepare("SELECT target_id, before, after FROM audit_log WHERE action = 'member.tier_changed' ORDER BY target_id").all();
    expect(tierAudit.results.map((r) => r.target_id)).toEqual(["win-0", "win-1"]);
    expect((await env.DB.prepare("SELECT status FROM share_subscriptions WHERE member_id = 'win-2'").first<{ status: string }>())!.status).toBe("expired");

    // The new shareholders still see the round they hold (their tier is no longer eligible); the cap table shows them.
    expect((await api(`/api/rounds/${id}`, { token: a })).body.state).toBe("succeeded");
    const caps = await api("/api/admin/cap-table", { token });
    expect(caps.body).toMatchObject({ issuedShares: 10, holders: [{ memberId: "win-0", shares: 6, percentBps: 6000 }, { memberId: "win-1", shares: 4, percentBps: 4000 }] });
    const csv = await exports.default.fetch("https://partners.test/api/admin/cap-table?format=csv", { headers: { authorization: `Bearer ${token}` } });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)], "a UTF-8 BOM, so Excel reads the Chinese titles").toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split("\r\n").slice(0, 3)).toEqual([
      "member_id,nickname,round_id,round_title,shares,member_total_shares,member_percent",
      `win-0,,${id},第一期渠道合伙人众筹,6,6,60.00`,
      `win-1,,${id},第一期渠道合伙人众筹,4,4,40.00`,
    ]);

    // Closing again changes nothing.
    expect((await api(`/api/admin/rounds/${id}/close`, { token, method: "POST" })).status).toBe(409);
    await expectLedgerInvariants(env.DB);
  });

  it("refuses to close early before the target is met", async () => {
    const id = await openRound({ targetShares: 50 });
    const res = await api(`/api/admin/rounds/${id}/close`, { token: await adminToken(), method: "POST" });
    expect(res.body).toMatchObject({ status: 409, type: "/problems/target-not-met" });
    expect((await roundRow(id))!.state).toBe("open");
  });

  it("the scheduled job closes a round at its closing time, once, however often it runs", async () => {
    const id = await openRound({ targetShares: 5 });
    const [m] = await seedMembers("job", 1);
    await paySubscription((await subscribe(m, id, 5)).body.subscription.id);
    const at = Date.now() + 2 * 86_400_000;
    await Promise.all([1, 2, 3].map(() => runScheduled({ cron: "*/5 * * * *", scheduledTime: at }, env)));
    expect((await roundRow(id))!.state).toBe("succeeded");
    expect((await env.DB.prepare("SELECT count(*) AS n FROM share_holdings WHERE round_id = ?").bind(id).first<{ n: number }>())!.n).toBe(1);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM round_closings WHERE round_id = ?").bind(id).first<{ n: number }>())!.n).toBe(1);
    await expectLedgerInvariants(env.DB);
  });

  it("target missed at the closing time: the round fails and nobody gets shares or a tier", async () => {
    const id = await openRound({ targetShares: 50 });
    const [m] = await seedMembers("miss", 1);
    await paySubscription((await subscribe(m, id, 5)).body.subscription.id);
    await runScheduled({ cron: "*/5 * * * *", scheduledTime: Date.now() + 2 * 86_400_000 }, env);
    expect((await roundRow(id))!.state).toBe("failed");
    expect(await tierOf("miss-0")).toBe("channel_partner");
    expect((await env.DB.prepare("SELECT count(*) AS n FROM share_holdings WHERE round_id = ?").bind(id).first<{ n: number }>())!.n).toBe(0);
    await expectLedgerInvariants(env.DB);
  });
});
