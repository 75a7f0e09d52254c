/**
 * Turns the worker's problem+json (RFC 9457) into a message a member can read. Clients switch on the
 * stable `type` (`/problems/<code>`), never on `title` or `detail`, which are English and for developers.
 */
import { LOT_PROBLEM_MESSAGES } from "./lot-view";

export const GENERIC_MESSAGE = "网络异常，请稍后重试";

const MESSAGES: Record<string, string> = {
  "/problems/bad-request": "请求有误，请检查后重试",
  "/problems/validation-failed": "输入有误，请检查后重试",
  "/problems/unauthorized": "请先登录",
  "/problems/forbidden": "没有权限进行此操作",
  "/problems/not-found": "内容不存在或已下架",
  "/problems/conflict": "状态已变化，请刷新后重试",
  "/problems/idempotency-key-reused": "请求重复，请刷新后重试",
  "/problems/rate-limited": "操作太频繁，请稍后再试",
  "/problems/upstream-error": "微信服务繁忙，请稍后重试",
  "/problems/internal": "服务开小差了，请稍后重试",
  "/problems/idempotency-key-in-progress": "请求处理中，请稍候",
  "/problems/wechat-invalid-code": "登录已失效，请重新进入小程序",
  "/problems/wechat-rate-limited": "操作太频繁，请稍后再试",
  "/problems/wechat-user-blocked": "该微信账号暂时无法登录",
  "/problems/member-blocked": "账号已停用，如有疑问请联系客服",
  "/problems/wechat-busy": "微信服务繁忙，请稍后重试",
  "/problems/wechat-error": "微信服务繁忙，请稍后重试",
  "/problems/wechat-unavailable": "微信服务繁忙，请稍后重试",
  "/problems/already-entitled": "你已拥有该课程",
  "/problems/course-free": "免费课程无需购买",
  "/problems/course-has-no-lessons": "课程暂未开放",
  "/problems/order-paid": "订单已支付",
  "/problems/order-changed": "订单已变化，请刷新后重试",
  "/problems/invite-code-not-found": "邀请码不存在",
  "/problems/referral-self": "不能绑定自己为推荐人",
  "/problems/referral-cycle": "不能绑定自己邀请的人为推荐人",
  "/problems/referral-already-bound": "已绑定推荐人",
  "/problems/referral-chain-too-deep": "该推荐关系无法绑定",
  "/problems/withdrawal-below-minimum": "低于最低提现金额",
  "/problems/insufficient-balance": "可提现余额不足",
  "/problems/withdrawal-daily-count-exceeded": "今日提现次数已用完",
  "/problems/withdrawal-daily-amount-exceeded": "超过今日提现额度",
  "/problems/real-name-required": "单笔到账 2000 元及以上需先填写真实姓名",
  "/problems/round-not-open": "当前不在认购期内",
  "/problems/round-full": "剩余份数不足",
  "/problems/already-subscribed": "你已认购过该众筹",
  "/problems/holder-cap-reached": "股东人数已达上限，暂不接受新的认购",
  "/problems/disclosure-outdated": "风险揭示书已更新，请重新阅读后认购",
  ...LOT_PROBLEM_MESSAGES,
};

export type ProblemLike = { type?: unknown; status?: unknown };

export function isProblem(body: unknown): body is ProblemLike & { type: string } {
  return typeof body === "object" && body !== null && typeof (body as ProblemLike).type === "string";
}

/** A readable Chinese message for a problem body (or anything else the server sent). */
export function messageForProblem(body: unknown): string {
  if (isProblem(body)) {
    const message = MESSAGES[body.type];
    if (message) return message;
  }
  return GENERIC_MESSAGE;
}

/** The error every failed request rejects with: a readable message plus what the code needs to decide. */
export class RequestError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    /** The problem `type`, e.g. `/problems/not-found`; `network` when there was no answer. */
    readonly type: string,
    readonly problem?: unknown,
  ) {
    super(message);
    this.name = "RequestError";
  }

  static fromResponse(status: number, body: unknown): RequestError {
    const type = isProblem(body) ? body.type : `http-${status}`;
    return new RequestError(messageForProblem(body), status, type, body);
  }

  static network(): RequestError {
    return new RequestError(GENERIC_MESSAGE, 0, "network");
  }
}

/** Any thrown value as a message for a toast or an error state. */
export function messageOf(err: unknown): string {
  return err instanceof RequestError ? err.message : GENERIC_MESSAGE;
}
