import { listLimit, pageOf } from "../http/cursor";
import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { ApiError, problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { parseAccountId } from "./accounts";
import { InvalidCursorError } from "./queries";
import { balance, checkLedger, history } from "./service";

const CheckSchema = z
  .object({
    ok: z.boolean(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() })),
  })
  .openapi("LedgerCheck");

const BalanceSchema = z
  .object({
    accountId: z.string(),
    code: z.string(),
    owner: z.string().nullable(),
    flags: z.number().int(),
    debitsPostedFen: z.number().int(),
    creditsPostedFen: z.number().int(),
    pendingDebitsFen: z.number().int(),
    pendingCreditsFen: z.number().int(),
    postedFen: z.number().int(),
    availableFen: z.number().int(),
  })
  .openapi("LedgerBalance");

const TransferSchema = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    debitAccountId: z.string(),
    creditAccountId: z.string(),
    amountFen: z.number().int(),
    direction: z.enum(["debit", "credit"]),
    code: z.string(),
    reference: z.string(),
    kind: z.enum(["posted", "pending", "post_pending", "void_pending"]),
    pendingId: z.string().nullable(),
    timeoutAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("LedgerTransfer");

const AccountParams = z.object({
  id: z
    .string()
    .max(200)
    .refine((id) => {
      try {
        parseAccountId(id);
        return true;
      } catch {
        return false;
      }
    }, "Not a ledger account id (code or code:owner)")
    .openapi({ param: { name: "id", in: "path" }, example: "commission_available:m_1" }),
});

const check = createRoute({
  method: "get",
  path: "/api/admin/ledger/check",
  tags: ["admin", "ledger"],
  summary: "Recompute every account from the journal and report each invariant",
  middleware: [requireAdmin] as const,
  security: [{ bearer: [] }],
  responses: {
    200: { description: "Invariant report", content: { "application/json": { schema: CheckSchema } } },
    ...problemResponses(401, 403),
  },
});

const accountBalance = createRoute({
  method: "get",
  path: "/api/admin/ledger/accounts/{id}",
  tags: ["admin", "ledger"],
  summary: "An account's balances (one row read)",
  middleware: [requireAdmin] as const,
  security: [{ bearer: [] }],
  request: { params: AccountParams },
  responses: {
    200: { description: "Balances in fen", content: { "application/json": { schema: BalanceSchema } } },
    ...problemResponses(401, 403, 422),
  },
});

const accountTransfers = createRoute({
  method: "get",
  path: "/api/admin/ledger/accounts/{id}/transfers",
  tags: ["admin", "ledger"],
  summary: "An account's transfers, newest first",
  middleware: [requireAdmin] as const,
  security: [{ bearer: [] }],
  request: {
    params: AccountParams,
    query: z.object({
      limit: listLimit,
      cursor: z.string().max(100).optional(),
    }),
  },
  responses: {
    200: {
      description: "One page of the account's journal",
      content: { "application/json": { schema: pageOf(TransferSchema) } },
    },
    ...problemResponses(400, 401, 403, 422),
  },
});

export const ledgerRoutes = createRouter()
  .openapi(check, async (c) => {
    const report = await checkLedger(c.env.DB);
    if (!report.ok) c.var.log.error("LEDGER DISCREPANCY", { failed: report.checks.filter((x) => !x.ok) });
    return c.json(report, 200);
  })
  .openapi(accountBalance, async (c) => c.json(await balance(c.env.DB, c.req.valid("param").id), 200))
  .openapi(accountTransfers, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    try {
      return c.json(await history(c.env.DB, c.req.valid("param").id, { limit, cursor }), 200);
    } catch (e) {
      if (e instanceof InvalidCursorError) throw ApiError.badRequest(e.message);
      throw e;
    }
  });
