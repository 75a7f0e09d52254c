/**
 * 提现: the amount typed in yuan, the fee preview, the checks the screen can make before asking the worker
 * (which decides), and how a withdrawal reads in 提现记录. Plain TypeScript, tested without rendering.
 */
import type { ResponseOf } from "./api-types";
import { formatFen } from "./money";
import { formatBeijingTime } from "./order-view";

export type Overview = ResponseOf<"/api/partner/withdrawal-overview">;
export type Withdrawal = ResponseOf<"/api/partner/withdrawals/{id}">;
export type Rules = Overview["rules"];

/** "12", "12.3", "12.30", "0.01" → fen, on the digits of the string (never through a float); null otherwise. */
export function parseYuan(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const cents = (m[2] ?? "").padEnd(2, "0");
  return Number(m[1]) * 100 + Number(cents);
}

/** The same rule as the worker: basis points rounded down, nothing from the fee-free threshold on. */
export function feeOf(rules: Rules, amountFen: number): number {
  if (amountFen >= rules.feeFreeFromFen) return 0;
  return Math.floor((amountFen * rules.feeBps) / 10_000);
}

export type Preview =
  | { ok: true; amountFen: number; feeFen: number; netFen: number; needsRealName: boolean; label: string }
  | { ok: false; message: string };

/** What the screen says under the amount while the member types. */
export function preview(o: Overview, text: string): Preview {
  if (text.trim() === "") return { ok: false, message: "" };
  const amountFen = parseYuan(text);
  if (amountFen === null || amountFen === 0) return { ok: false, message: "请输入正确的金额（最多两位小数）" };
  if (amountFen < o.rules.minimumFen) return { ok: false, message: `最低提现 ${formatFen(o.rules.minimumFen)}` };
  if (amountFen > o.availableFen) return { ok: false, message: `可提现余额 ${formatFen(o.availableFen)}` };
  if (o.today.count >= o.rules.dailyCount) return { ok: false, message: `今日提现次数已用完（每日 ${o.rules.dailyCount} 次）` };
  if (o.today.amountFen + amountFen > o.rules.dailyAmountFen) return { ok: false, message: `今日还可提现 ${formatFen(Math.max(0, o.rules.dailyAmountFen - o.today.amountFen))}` };
  const feeFen = feeOf(o.rules, amountFen);
  const netFen = amountFen - feeFen;
  const needsRealName = netFen >= o.realNameRequiredFromFen && !o.realNameMasked;
  return { ok: true, amountFen, feeFen, netFen, needsRealName, label: `手续费 ${formatFen(feeFen)}，实际到账 ${formatFen(netFen)}` };
}

/** The rules in one line for the screen. */
export function rulesText(r: Rules): string {
  const fee = r.feeBps === 0 ? "免手续费" : `手续费 ${(r.feeBps / 100).toFixed(r.feeBps % 100 === 0 ? 0 : 2)}%，满 ${formatFen(r.feeFreeFromFen)} 免手续费`;
  return `最低 ${formatFen(r.minimumFen)}；${fee}；每日最多 ${r.dailyCount} 次、${formatFen(r.dailyAmountFen)}`;
}

const STATUS_CLASS: Record<Withdrawal["status"], string> = {
  pending: "waiting", approved: "waiting", wait_user_confirm: "confirm", transferring: "waiting",
  paid: "done", rejected: "refused", failed: "refused", cancelled: "refused",
};

export type WithdrawalRow = {
  id: string;
  amountLabel: string;
  detailLabel: string;
  status: Withdrawal["status"];
  statusLabel: string;
  statusClass: string;
  reason: string;
  timeLabel: string;
  /** 确认收款: WeChat waits for the member to accept the transfer in the mini-program. */
  confirmable: boolean;
};

export function withdrawalRow(w: Withdrawal): WithdrawalRow {
  return {
    id: w.id,
    amountLabel: formatFen(w.amountFen),
    detailLabel: w.feeFen > 0 ? `手续费 ${formatFen(w.feeFen)}，到账 ${formatFen(w.netFen)}` : `到账 ${formatFen(w.netFen)}`,
    status: w.status,
    statusLabel: w.statusText,
    statusClass: STATUS_CLASS[w.status] ?? "waiting",
    reason: w.reason ?? "",
    timeLabel: `申请时间 ${formatBeijingTime(w.createdAt)}`,
    confirmable: w.status === "wait_user_confirm" && !!w.packageInfo && !!w.mchId,
  };
}

export type TransferParams = { mchId: string; appId: string; package: string };

/** What wx.requestMerchantTransfer reported: the member accepted, closed the page, or it failed. */
export type ConfirmOutcome = { ok: true } | { ok: false; cancelled: boolean; errMsg: string };

export function confirmOutcome(errMsg: string | undefined): ConfirmOutcome {
  if (!errMsg || /:ok$/.test(errMsg)) return { ok: true };
  return { ok: false, cancelled: /cancel/i.test(errMsg), errMsg };
}

export type ConfirmDeps = {
  fetchWithdrawal(id: string): Promise<Withdrawal>;
  requestMerchantTransfer(params: TransferParams): Promise<ConfirmOutcome>;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * 确认收款: fresh parameters from the worker, WeChat's receipt page, then the worker asked a few times —
 * the money is only paid when WeChat's notification reaches the worker, which can lag behind the page.
 */
export async function confirmReceipt(deps: ConfirmDeps, id: string, attempts = 5): Promise<{ message: string; withdrawal: Withdrawal | null }> {
  const w = await deps.fetchWithdrawal(id);
  if (w.status !== "wait_user_confirm" || !w.packageInfo || !w.mchId || !w.appId) return { message: "该笔提现当前无需确认", withdrawal: w };
  const outcome = await deps.requestMerchantTransfer({ mchId: w.mchId, appId: w.appId, package: w.packageInfo });
  if (!outcome.ok) return { message: outcome.cancelled ? "已取消确认收款" : "确认收款失败，请稍后重试", withdrawal: w };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let now = w;
  for (let i = 0; i < attempts; i++) {
    now = await deps.fetchWithdrawal(id);
    if (now.status === "paid") return { message: "已到账微信零钱", withdrawal: now };
    if (now.status !== "wait_user_confirm" && now.status !== "transferring") break;
    await sleep(1_000);
  }
  return { message: now.status === "paid" ? "已到账微信零钱" : "已确认，到账结果稍后更新", withdrawal: now };
}
