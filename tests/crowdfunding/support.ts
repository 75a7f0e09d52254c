import { env } from "cloudflare:workers";
import type { Tier } from "../../worker/http/auth";
import { call, mintMember, parsed } from "../support/api";
import { deliver, sandboxPay } from "../orders/support";

/** The worker's answer with its JSON parsed; `body` is sent as JSON. */
export const api = (path: string, o: { token?: string; body?: unknown; method?: string } = {}) =>
  parsed(call(path, { token: o.token, json: o.body, method: o.method }));

/** A member with a tier in D1, and a token whose tier claim is `tokenTier` (default: the same). */
export async function seedMember(id: string, tier: Tier = "channel_partner", opts: { admin?: boolean; tokenTier?: Tier } = {}): Promise<string> {
  const { token } = await mintMember({ id, tier: opts.tokenTier ?? tier, roles: opts.admin ? ["admin"] : [] });
  if (opts.tokenTier) await env.DB.prepare("UPDATE members SET tier = ? WHERE id = ?").bind(tier, id).run();
  return token;
}

let admin: Promise<string> | undefined;
export const adminToken = () => (admin ??= seedMember("admin-1", "member", { admin: true }));

const HOUR = 3_600_000;

export function roundInput(over: Record<string, unknown> = {}) {
  return {
    title: "第一期渠道合伙人众筹",
    description: "面向渠道合伙人的私募认购",
    riskDisclosure: "投资有风险：本次认购不保本、不保收益，份额不可转让。",
    sharePriceFen: 100_000,
    totalShares: 100,
    minShares: 1,
    maxShares: 20,
    targetShares: 50,
    eligibleTiers: ["channel_partner"],
    tierOnSuccess: "shareholder",
    opensAt: new Date(Date.now() - HOUR).toISOString(),
    closesAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    ...over,
  };
}

/** Creates a round through the admin API and opens it; returns its id. */
export async function openRound(over: Record<string, unknown> = {}, opts: { open?: boolean } = {}): Promise<string> {
  const token = await adminToken();
  const created = await api("/api/admin/rounds", { token, body: roundInput(over) });
  if (created.status !== 201) throw new Error(`create round ${created.status} ${JSON.stringify(created.body)}`);
  if (opts.open !== false) {
    const opened = await api(`/api/admin/rounds/${created.body.id}/open`, { token, method: "POST" });
    if (opened.status !== 200) throw new Error(`open round ${opened.status} ${JSON.stringify(opened.body)}`);
  }
  return created.body.id;
}

export const subscribe = (token: string, roundId: string, shares: number, disclosureVersion = 1) =>
  api(`/api/rounds/${roundId}/subscriptions`, { token, body: { shares, disclosureVersion } });

/** The member pays the subscription's order at WeChat (the sandbox) and the signed notification reaches the worker. */
export async function paySubscription(subscriptionId: string) {
  const row = await env.DB.prepare("SELECT order_id FROM share_subscriptions WHERE id = ?").bind(subscriptionId).first<{ order_id: string }>();
  if (!row?.order_id) throw new Error(`subscription ${subscriptionId} has no order`);
  const res = await deliver(await sandboxPay(row.order_id));
  if (res.status !== 204) throw new Error(`notify ${res.status}: ${await res.text()}`);
  return (await env.DB.prepare("SELECT status FROM share_subscriptions WHERE id = ?").bind(subscriptionId).first<{ status: string }>())!.status;
}

export async function setSetting(key: string, value: unknown) {
  await env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .bind(key, JSON.stringify(value), Date.now())
    .run();
}

export const roundRow = (id: string) => env.DB.prepare("SELECT * FROM rounds WHERE id = ?").bind(id).first<Record<string, any>>();
export const holders = async () => (await env.DB.prepare("SELECT holders FROM shareholder_count WHERE id = 'all'").first<{ holders: number }>())?.holders ?? 0;

/** Seeds `n` eligible members with tokens, ids `${prefix}-0` … */
export async function seedMembers(prefix: string, n: number, tier: Tier = "channel_partner") {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const ids = Array.from({ length: Math.min(50, n - i) }, (_, j) => `${prefix}-${i + j}`);
    await env.DB.batch(
      ids.map((id) =>
        env.DB.prepare("INSERT INTO members (id, openid, tier, invite_code, created_at) VALUES (?, ?, ?, ?, ?)").bind(id, `openid-${id}`, tier, `inv-${id}`, Date.now()),
      ),
    );
    for (const id of ids) tokens.push((await mintMember({ id, tier })).token);
  }
  return tokens;
}
