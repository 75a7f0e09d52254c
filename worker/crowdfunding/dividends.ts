import { accountId } from "../ledger/accounts";
import { splitLargestRemainder } from "../ledger/split";
import { transferStatements, type TransferSpec } from "../ledger/service";
import { ApiError } from "../http/problem";
import { audited, auditedIf, type Actor } from "./audit";

/** Credit-normal balance of an account inside SQL (0 when it was never used). */
const available = (id: string) => `coalesce((SELECT credits_posted - debits_posted - debits_pending FROM accounts WHERE id = '${id}'), 0)`;

export type AllocationSource = "revenue_course" | "revenue_auction";

/**
 * Moves profit from recognised revenue into the dividend pool: one audited transfer. The allocation row is
 * inserted after the transfer with `covered` computed from the revenue account as it now stands, and
 * CHECK(covered = 1) rolls the batch back when revenue could not cover it (the pool itself can never be negative:
 * its account is flagged debits ≤ credits).
 */
export async function allocateToPool(d1: D1Database, actor: Actor, input: { amountFen: number; reason: string; source: AllocationSource }, now = Date.now()) {
  const id = `alloc_${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;
  const transfer: TransferSpec = {
    id: `dividend_pool:${id}`,
    debitAccountId: accountId(input.source),
    creditAccountId: accountId("dividend_pool"),
    amountFen: input.amountFen,
    code: "dividend_allocation",
    reference: `allocation:${id}`,
  };
  try {
    await d1.batch([
      ...transferStatements(d1, [transfer], new Date(now)),
      d1
        .prepare(`INSERT INTO dividend_allocations (id, amount_fen, reason, actor_id, covered, created_at) SELECT ?, ?, ?, ?, ${available(input.source)} >= 0, ?`)
        .bind(id, input.amountFen, input.reason, actor.actorId, now),
      audited(d1, actor, { action: "dividend_pool.allocated", targetType: "dividend_allocation", targetId: id, after: input }),
    ]);
  } catch (error) {
    if (/dividend_allocations_covered/.test(String(error) + String((error as { cause?: unknown }).cause ?? ""))) {
      throw ApiError.conflict("insufficient-revenue", "已确认收入不足以划拨该金额 (recognised revenue does not cover this allocation).");
    }
    throw error;
  }
  return { id, ...input };
}

type Holding = { member_id: string; shares: number };
type Declaration = { id: string; period: string; round_scope: string; amount_fen: number; total_shares: number; holder_count: number; status: "paying" | "paid"; created_at: number; completed_at: number | null };

/** Lines per batch: each line is one journal row plus its account row; D1 binds ≤ 100 parameters a statement. */
export const DIVIDEND_CHUNK = 25;
const LINES_PER_INSERT = 25;

/**
 * Declares a dividend for a period and pays it. The split over the holders' shares (largest remainder: the parts
 * sum exactly to the amount) is fixed in `dividend_lines` in the declaring batch, which also checks that the pool
 * holds this amount plus everything still unpaid. Paying then runs in chunks (`payDeclaration`).
 *
 * Repeating a declaration (same period and scope, same amount) does not split again: it resumes paying what is
 * unpaid, so a repeated or interrupted declaration pays each holder exactly once. The same period with another
 * amount is a 409.
 */
export async function declareDividend(
  d1: D1Database,
  actor: Actor,
  input: { period: string; amountFen: number; roundId?: string },
  now = Date.now(),
  options: { chunkSize?: number; maxChunks?: number } = {},
) {
  const scope = input.roundId ?? "";
  let declaration = await declarationFor(d1, input.period, scope);
  if (!declaration) {
    const holdings = (
      await d1
        .prepare(
          `SELECT member_id, sum(shares) AS shares FROM share_holdings ${scope ? "WHERE round_id = ?1" : "WHERE ?1 = ''"} GROUP BY member_id ORDER BY member_id`,
        )
        .bind(scope)
        .all<Holding>()
    ).results;
    if (holdings.length === 0) throw ApiError.conflict("no-shareholders", "没有股东可分红 (nobody holds shares in this scope).");
    const parts = splitLargestRemainder(input.amountFen, holdings.map((h) => h.shares));
    const totalShares = holdings.reduce((a, h) => a + h.shares, 0);
    const id = `div_${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;
    const lineInserts: D1PreparedStatement[] = [];
    for (let i = 0; i < holdings.length; i += LINES_PER_INSERT) {
      const chunk = holdings.slice(i, i + LINES_PER_INSERT);
      lineInserts.push(
        d1
          .prepare(
            `INSERT INTO dividend_lines (declaration_id, member_id, shares, amount_fen)
             SELECT ?1, column1, column2, column3 FROM (VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")})
             WHERE EXISTS (SELECT 1 FROM dividend_declarations WHERE id = ?1)`,
          )
          .bind(id, ...chunk.flatMap((h, j) => [h.member_id, h.shares, parts[i + j]])),
      );
    }
    const unpaid = "coalesce((SELECT sum(l.amount_fen) FROM dividend_lines l JOIN dividend_declarations d ON d.id = l.declaration_id WHERE d.status = 'paying' AND l.paid_at IS NULL), 0)";
    try {
      const [inserted] = await d1.batch([
        d1
          .prepare(
            `INSERT INTO dividend_declarations (id, period, round_scope, amount_fen, total_shares, holder_count, status, actor_id, covered, created_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'paying', ?7, ${available(accountId("dividend_pool"))} - ${unpaid} >= ?4, ?8
             ON CONFLICT (period, round_scope) DO NOTHING`,
          )
          .bind(id, input.period, scope, input.amountFen, totalShares, holdings.length, actor.actorId, now),
        // When a concurrent declaration of the same period won, the lines and the audit row are not written.
        ...lineInserts,
        auditedIf(d1, actor, { action: "dividend.declared", targetType: "dividend_declaration", targetId: id, after: { ...input, holders: holdings.length, totalShares } },
          "EXISTS (SELECT 1 FROM dividend_declarations WHERE id = ?)", id),
      ]);
      if (inserted.meta.changes !== 1) throw new LostRace();
    } catch (error) {
      if (/dividend_declarations_covered/.test(String(error) + String((error as { cause?: unknown }).cause ?? ""))) {
        throw ApiError.conflict("insufficient-dividend-pool", "分红池余额不足 (the dividend pool does not hold this amount plus what is still unpaid).");
      }
      if (!(error instanceof LostRace)) throw error;
    }
    declaration = await declarationFor(d1, input.period, scope);
    if (!declaration) throw new Error("declaration vanished");
  }
  if (declaration.amount_fen !== input.amountFen) {
    throw ApiError.conflict("dividend-already-declared", `该期间已宣告分红 ${declaration.amount_fen} 分 (this period was declared with another amount).`);
  }
  await payDeclaration(d1, declaration.id, now, options);
  return declarationView((await declarationById(d1, declaration.id))!);
}

class LostRace extends Error {}

/**
 * Credits the unpaid lines of a declaration to each holder's `dividends_payable`, a chunk per batch. Each chunk's
 * transfers (`dividend:<declaration>:<member>`) and the `paid_at` of its lines commit together, so a line is paid
 * exactly once: a concurrent runner's chunk collides on the transfer ids and rolls back whole, and this loop then
 * reads what is still unpaid. `maxChunks` lets a test stop halfway, as a crash would.
 */
export async function payDeclaration(d1: D1Database, declarationId: string, now = Date.now(), options: { chunkSize?: number; maxChunks?: number } = {}) {
  const chunkSize = options.chunkSize ?? DIVIDEND_CHUNK;
  let chunks = 0;
  let failures = 0;
  for (;;) {
    if (options.maxChunks !== undefined && chunks >= options.maxChunks) return "interrupted" as const;
    const lines = (
      await d1
        .prepare("SELECT member_id, amount_fen FROM dividend_lines WHERE declaration_id = ? AND paid_at IS NULL ORDER BY member_id LIMIT ?")
        .bind(declarationId, chunkSize)
        .all<{ member_id: string; amount_fen: number }>()
    ).results;
    if (lines.length === 0) break;
    const specs: TransferSpec[] = lines
      .filter((l) => l.amount_fen > 0)
      .map((l) => ({
        id: `dividend:${declarationId}:${l.member_id}`,
        debitAccountId: accountId("dividend_pool"),
        creditAccountId: accountId("dividends_payable", l.member_id),
        amountFen: l.amount_fen,
        code: "dividend",
        reference: `dividend:${declarationId}`,
      }));
    try {
      await d1.batch([
        ...(specs.length > 0 ? transferStatements(d1, specs, new Date(now)) : []),
        d1
          .prepare(`UPDATE dividend_lines SET paid_at = ? WHERE declaration_id = ? AND paid_at IS NULL AND member_id IN (${lines.map(() => "?").join(", ")})`)
          .bind(now, declarationId, ...lines.map((l) => l.member_id)),
      ]);
    } catch (error) {
      // Another runner paid (some of) these lines first; read again. A persistent failure is a real error.
      if (++failures > 3) throw error;
      continue;
    }
    chunks++;
  }
  await d1
    .prepare(
      `UPDATE dividend_declarations SET status = 'paid', completed_at = ?2
       WHERE id = ?1 AND status = 'paying' AND NOT EXISTS (SELECT 1 FROM dividend_lines WHERE declaration_id = ?1 AND paid_at IS NULL)`,
    )
    .bind(declarationId, now)
    .run();
  return "paid" as const;
}

/** Declarations a crash left half paid; the scheduled job finishes them. */
export async function resumeDividends(d1: D1Database, now = Date.now(), limit = 10) {
  const { results } = await d1.prepare("SELECT id FROM dividend_declarations WHERE status = 'paying' ORDER BY created_at LIMIT ?").bind(limit).all<{ id: string }>();
  for (const { id } of results) await payDeclaration(d1, id, now);
  return results.length;
}

const declarationFor = (d1: D1Database, period: string, scope: string) =>
  d1.prepare("SELECT * FROM dividend_declarations WHERE period = ? AND round_scope = ?").bind(period, scope).first<Declaration>();
const declarationById = (d1: D1Database, id: string) => d1.prepare("SELECT * FROM dividend_declarations WHERE id = ?").bind(id).first<Declaration>();

export function declarationView(d: Declaration) {
  return {
    id: d.id,
    period: d.period,
    roundId: d.round_scope || null,
    amountFen: d.amount_fen,
    totalShares: d.total_shares,
    holderCount: d.holder_count,
    status: d.status,
    createdAt: new Date(d.created_at).toISOString(),
    completedAt: d.completed_at === null ? null : new Date(d.completed_at).toISOString(),
  };
}

export async function listDeclarations(d1: D1Database) {
  const { results } = await d1.prepare("SELECT * FROM dividend_declarations ORDER BY created_at DESC LIMIT 100").all<Declaration>();
  return results.map(declarationView);
}
