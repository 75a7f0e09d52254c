import { ApiError } from "../http/problem";

/** What an admin reads when a service refuses an action; the English detail stays for the specifics. */
const MESSAGES: Record<string, string> = {
  "course-has-no-lessons": "至少添加一节课时后才能发布。",
  "refund-exceeds-refundable": "退款金额超过该订单还可退的金额。",
  "refund-not-allowed": "该订单当前的状态不能退款。",
  "refund-in-progress": "该订单的另一笔退款正在提交，请刷新后重试。",
  "unsupported-media-type": "文件类型不适合该课时类型。",
  "payload-too-large": "文件太大。",
  "length-required": "上传的文件长度未知。",
  "upstream-error": "微信支付拒绝了该请求。",
  "not-found": "找不到要操作的对象。",
  "validation-failed": "输入有误。",
  "cannot-block-self": "不能停用自己的账号。",
};

export function problemMessage(e: ApiError): string {
  const fields = e.errors?.map((f) => `${f.path}: ${f.message}`).join("；");
  return `${MESSAGES[e.code] ?? "操作未完成。"}（${fields || e.message}）`;
}

/** Runs a service call; an ApiError becomes { error, status } for the page to show, anything else is a real failure. */
export async function attempt<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string; status: 400 | 403 | 404 | 409 | 411 | 413 | 415 | 422 | 502; code: string }> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const status = ([400, 403, 404, 409, 411, 413, 415, 422, 502] as const).find((s) => s === e.status) ?? 400;
    return { ok: false, error: problemMessage(e), status, code: e.code };
  }
}

export const DONE_MESSAGES: Record<string, string> = {
  created: "课程已创建（草稿）。",
  saved: "已保存。",
  unchanged: "没有修改。",
  published: "已发布上架。",
  unpublished: "已下架，改回草稿。",
  chapter: "章节已添加。",
  renamed: "章节已改名。",
  lesson: "课时已添加。",
  moved: "顺序已调整。",
  uploaded: "媒体已上传。",
  cover: "封面已上传。",
  refunded: "退款已提交微信支付，等待退款结果通知。",
  "abnormal-applied": "已提交异常退款处理，款项将退至商户银行账户，等待退款结果通知。",
  tier: "会员等级已修改，下一次请求即生效。",
  blocked: "账号已停用：该会员无法登录，也无法使用任何会员功能。",
  unblocked: "账号已恢复。",
};
