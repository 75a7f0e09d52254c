import { createRoute, z } from "@hono/zod-openapi";
import { identity, partnerBeforeInputErrors, principal, requireIdentity, requirePartner } from "../http/auth";
import { listLimit, pageOf } from "../http/cursor";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { maskedRealName, setRealName } from "./payee";
import { getOwnWithdrawal, listOwnWithdrawals, requestWithdrawal, withdrawalOverview } from "./requests";
import { WithdrawalSchema } from "./views";

const RulesSchema = z.object({
  minimumFen: z.number().int(), feeBps: z.number().int(), feeFreeFromFen: z.number().int(), dailyCount: z.number().int(),
  dailyAmountFen: z.number().int(), secondApprovalFromFen: z.number().int(),
});
const OverviewSchema = z
  .object({
    availableFen: z.number().int().openapi({ description: "Withdrawable now: available commission plus dividends payable." }),
    commissionAvailableFen: z.number().int(),
    dividendsAvailableFen: z.number().int(),
    inFlightFen: z.number().int(),
    rules: RulesSchema,
    today: z.object({ count: z.number().int(), amountFen: z.number().int() }),
    realNameRequiredFromFen: z.number().int().openapi({ description: "From this net amount WeChat needs the payee's real name." }),
    realNameMasked: z.string().nullable(),
  })
  .openapi("WithdrawalOverview");

const request = createRoute({
  method: "post",
  path: "/api/partner/withdrawals",
  tags: ["payouts"],
  summary: "Request a withdrawal of available commission, then dividends payable, to your WeChat balance (an admin decides)",
  security: [{ bearer: [] }],
  // The partner check is part of the request's first read (requests.ts); on bad input it runs here instead.
  middleware: [requireIdentity, partnerBeforeInputErrors, idempotency] as const,
  request: {
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { "application/json": { schema: z.object({ amountFen: z.number().int().positive().max(100_000_000) }) } } },
  },
  responses: {
    201: { description: "Requested; the amount is reserved", content: { "application/json": { schema: WithdrawalSchema } } },
    ...problemResponses(401, 403, 409, 422),
  },
});

const list = createRoute({
  method: "get",
  path: "/api/partner/withdrawals",
  tags: ["payouts"],
  summary: "Your withdrawals, newest first",
  security: [{ bearer: [] }],
  middleware: [requirePartner] as const,
  request: { query: z.object({ limit: listLimit, cursor: z.string().max(200).optional() }) },
  responses: {
    200: { description: "A page of withdrawals", content: { "application/json": { schema: pageOf(WithdrawalSchema) } } },
    ...problemResponses(401, 403, 422),
  },
});

const getOne = createRoute({
  method: "get",
  path: "/api/partner/withdrawals/{id}",
  tags: ["payouts"],
  summary: "One of your withdrawals (with the wx.requestMerchantTransfer package while awaiting your confirmation)",
  security: [{ bearer: [] }],
  middleware: [requirePartner] as const,
  request: { params: z.object({ id: z.string().min(1).max(40) }) },
  responses: { 200: { description: "The withdrawal", content: { "application/json": { schema: WithdrawalSchema } } }, ...problemResponses(401, 403, 404, 422) },
});

const overview = createRoute({
  method: "get",
  path: "/api/partner/withdrawal-overview",
  tags: ["payouts"],
  summary: "Balance, fee rules, daily limits used today and the masked real name, for the 提现 screen",
  security: [{ bearer: [] }],
  middleware: [requirePartner] as const,
  responses: { 200: { description: "Overview", content: { "application/json": { schema: OverviewSchema } } }, ...problemResponses(401, 403) },
});

const realName = createRoute({
  method: "post",
  path: "/api/partner/payee/real-name",
  tags: ["payouts"],
  summary: "Set the real name WeChat needs for transfers from ¥2,000 (stored encrypted; only a masked form is shown)",
  security: [{ bearer: [] }],
  middleware: [requirePartner, idempotency] as const,
  request: {
    headers: IdempotencyKeyHeader,
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ realName: z.string().trim().min(2).max(30).regex(/^[\p{Script=Han}·A-Za-z ]+$/u, "姓名只能包含汉字、字母、空格和 ·") }) } },
    },
  },
  responses: { 200: { description: "Saved", content: { "application/json": { schema: z.object({ realNameMasked: z.string() }) } } }, ...problemResponses(401, 403, 422) },
});

export const payoutRoutes = createRouter()
  .openapi(request, async (c) => {
    const w = await requestWithdrawal(c.env, identity(c), c.req.valid("json").amountFen, c.var.requestId);
    c.var.log.info("withdrawal requested", { withdrawalId: w.id, amountFen: w.amountFen });
    return c.json(w, 201);
  })
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listOwnWithdrawals(c.env, principal(c).memberId, limit, cursor), 200);
  })
  .openapi(getOne, async (c) => c.json(await getOwnWithdrawal(c.env, principal(c).memberId, c.req.valid("param").id), 200))
  .openapi(overview, async (c) => {
    const memberId = principal(c).memberId;
    const [o, masked] = await Promise.all([withdrawalOverview(c.env.DB, memberId), maskedRealName(c.env, memberId)]);
    return c.json({ ...o, realNameMasked: masked }, 200);
  })
  .openapi(realName, async (c) => c.json(await setRealName(c.env, principal(c).memberId, c.req.valid("json").realName, c.var.requestId), 200));
