import { formatFen } from "../console/money";
import { beijingDateTime } from "../calendar/beijing";

/**
 * Chinese names for every action the product writes to the audit log, in the console's picker order
 * (grouped by domain). An action missing here still shows, under its code.
 */
export const ACTION_LABELS: Record<string, string> = {
  "admin.login": "管理员登录",
  "admin.login_failed": "管理员登录失败",
  "admin.logout": "管理员退出登录",
  "admin.locked_out": "管理员账户锁定",
  "member.tier_changed": "调整会员等级",
  "member.blocked": "封禁会员",
  "member.unblocked": "解除封禁",
  "member.role_granted": "授予角色",
  "member.role_revoked": "撤销角色",
  "course.create": "创建课程",
  "course.update": "修改课程",
  "course.publish": "发布课程",
  "course.unpublish": "下架课程",
  "course.reorder": "调整课程目录顺序",
  "course.grant": "赠送课程",
  "course.revoke": "收回课程",
  "chapter.create": "添加章节",
  "chapter.update": "修改章节",
  "lesson.create": "添加课时",
  "lesson.update": "修改课时",
  "lesson.media.upload": "上传课时媒体",
  "order.refund_requested": "申请退款",
  "order.abnormal_refund_applied": "异常退款改退银行卡",
  "partner_application.approved": "通过推广员申请",
  "partner_application.rejected": "驳回推广员申请",
  "withdrawal.requested": "申请提现",
  "withdrawal.first_approval": "提现初审通过",
  "withdrawal.approved": "批准提现",
  "withdrawal.rejected": "驳回提现",
  "withdrawal.paid": "提现到账",
  "withdrawal.failed": "提现转账失败",
  "withdrawal.cancelled": "提现转账撤销",
  "payee.real_name_set": "登记收款实名",
  "round.created": "创建众筹",
  "round.updated": "修改众筹",
  "dividend.declared": "宣告分红",
  "dividend_pool.allocated": "分配分红池",
  "setting.changed": "修改系统设置",
};

export const TARGET_LABELS: Record<string, string> = {
  admin_user: "管理员",
  member: "会员",
  course: "课程",
  chapter: "章节",
  lesson: "课时",
  order: "订单",
  withdrawal: "提现",
  round: "众筹",
  dividend_declaration: "分红宣告",
  dividend_allocation: "分红分配",
  setting: "设置",
};

export const ACTOR_LABELS: Record<string, string> = { admin: "管理员", member: "会员", system: "系统" };

/** Field names in the before/after views. */
const FIELD_LABELS: Record<string, string> = {
  status: "状态",
  state: "状态",
  reason: "原因",
  tier: "等级",
  roles: "角色",
  blocked: "已封禁",
  value: "值",
  amountFen: "金额",
  feeFen: "手续费",
  netFen: "实付",
  refundedFen: "已退款",
  refundingFen: "退款中",
  approvals: "审批次数",
  person: "审批人",
  lockedUntil: "锁定至",
  sessionExpiresAt: "会话到期",
  courseId: "课程",
  chapterId: "章节",
  refundId: "退款单",
  title: "标题",
  priceFen: "价格",
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export function targetLabel(targetType: string): string {
  return TARGET_LABELS[targetType] ?? targetType;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * One recorded value as an operator reads it: fen fields (…Fen) in ¥, times (…At, …Until, or an ISO
 * timestamp anywhere) in Beijing time; anything else as written.
 */
export function readableValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (/Fen$/.test(key) && typeof value === "number" && Number.isSafeInteger(value)) return formatFen(value);
  if (typeof value === "string" && ISO_TIME.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return `${beijingDateTime(ms)}（北京时间）`;
  }
  if (/(At|Until)$/.test(key) && typeof value === "number" && value > 1e11) return `${beijingDateTime(value)}（北京时间）`;
  if (typeof value === "boolean") return value ? "是" : "否";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) return value.join("、") || "（空）";
  return JSON.stringify(value);
}

/** A before/after object as labelled lines; a non-object value is one line without a name. */
export function readableFields(value: unknown): { key: string; label: string; text: string }[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== "object" || Array.isArray(value)) return [{ key: "", label: "", text: readableValue("", value) }];
  return Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, label: FIELD_LABELS[key] ?? key, text: readableValue(key, v) }));
}
