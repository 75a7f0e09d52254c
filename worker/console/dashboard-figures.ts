import { commissionFigures } from "../commissions/console/figures";
import { memberFigures } from "../members/console/figures";
import { orderFigures } from "../orders/console/figures";
import { payoutFigures } from "../payouts/console/figures";
import type { DashboardFigures } from "./dashboard-series";

/**
 * Every domain's figures on 概览, one line per domain, in the order their charts and cards appear. A new feature
 * declares its figures in worker/<domain>/console/figures.ts and adds its line here.
 */
export const dashboardFigures: DashboardFigures[] = [orderFigures, memberFigures, commissionFigures, payoutFigures];
