import { auditConsole } from "../audit/console/routes";
import { applicationConsole, commissionConsole } from "../commissions/console/routes";
import { courseConsole, courseConsoleUploads } from "../courses/console/routes";
import { memberConsole } from "../members/console/routes";
import { orderConsole } from "../orders/console/routes";
import { payoutConsole } from "../payouts/console/routes";
import { roundConsole } from "../crowdfunding/console/routes";
import { lotConsole } from "../auctions/console/routes";
import { settingsConsole } from "../settings/console/routes";
import type { ConsolePages } from "./context";

/**
 * Every domain's console pages, one line per domain, in menu order (after 概览), the way worker/scheduled.ts
 * lists jobs. A new feature puts its pages in worker/<domain>/console/ and adds its line here.
 */
export const consolePages: ConsolePages[] = [
  { nav: { key: "members", label: "会员", path: "/admin/members" }, routes: memberConsole },
  { nav: { key: "courses", label: "课程", path: "/admin/courses" }, routes: courseConsole, uploads: courseConsoleUploads },
  { nav: { key: "orders", label: "订单", path: "/admin/orders" }, routes: orderConsole },
  { nav: { key: "payouts", label: "提现审核", path: "/admin/payouts" }, routes: payoutConsole },
  { nav: { key: "rounds", label: "众筹", path: "/admin/rounds" }, routes: roundConsole },
  { nav: { key: "commissions", label: "分销设置", path: "/admin/commissions" }, routes: commissionConsole },
  { nav: { key: "applications", label: "推广员申请", path: "/admin/partner-applications" }, routes: applicationConsole },
  { nav: { key: "lots", label: "拍卖", path: "/admin/lots" }, routes: lotConsole },
  { nav: { key: "audit", label: "审计日志", path: "/admin/audit" }, routes: auditConsole },
  { nav: { key: "settings", label: "系统设置", path: "/admin/settings" }, routes: settingsConsole },
];
