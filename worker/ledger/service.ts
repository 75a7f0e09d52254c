import { TRANSFER_FLAGS } from "../../schema/ledger";
import { ApiError } from "../http/problem";
import { parseAccountId } from "./accounts";

export { balance, balances, history, transfersByReference } from "./queries";
export type { Balance, HistoryItem, HistoryPage } from "./queries";
export { checkLedger } from "./reconcile";
export type { LedgerCheck } from "./reconcile";

/**
 * One money movement. A business operation is a list of these, executed in ONE D1 batch: all or none.
 * Phase two of a two-phase transfer names the pending transfer and repeats its accounts; a post may
 * carry less than the pending amount (the rest is released), a void carries the pending amount.
 */
export type TransferSpec = {
  /** Deterministic from the business reference, e.g. "order:o_1:revenue"; a replay is a no-op. */
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  /** Integer fen > 0. */
  amountFen: number;
  /** Kind of movement, e.g. "course_sale". */
  code: string;
  /** Business reference, e.g. "order:o_1". */
  reference: string;
  pending?: boolean;
  timeoutAt?: Date;
  postPendingId?: string;
  voidPendingId?: string;
};

export type TransferResult = { status: "created" } | { status: "exists" };

/** The deterministic transfer id of one leg of a business operation: `transferId("order:o_1", "revenue")`. */
export function transferId(reference: string, leg: string): string {
  return `${reference}:${leg}`;
}

/**
 * The transfer that undoes a posted one (docs/architecture.md §3: a mistake is corrected by a reversing transfer,
 * never by editing the journal). The reversal can be partial (`amountFen` ≤ the original's).
 */
export function reversalOf(original: TransferSpec, reversal: { id: string; code: string; reference?: string; amountFen?: number }): TransferSpec {
  if (original.pending || original.voidPendingId) {
    throw new LedgerSpecError("Only a posted transfer is reversed; void a pending one instead");
  }
  if (reversal.amountFen !== undefined && reversal.amountFen > original.amountFen) {
    throw new LedgerSpecError(`A reversal cannot exceed the original ${original.amountFen} fen`);
  }
  return {
    id: reversal.id,
    debitAccountId: original.creditAccountId,
    creditAccountId: original.debitAccountId,
    amountFen: reversal.amountFen ?? original.amountFen,
    code: reversal.code,
    reference: reversal.reference ?? original.reference,
  };
}

/** A programming error in a spec (not user input): routes validate amounts before they get here. */
export class LedgerSpecError extends Error {}

type Row = {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  code: string;
  reference: string;
  pendingId: string | null;
  flags: number;
  timeoutAt: number | null;
};

function toRow(spec: TransferSpec): Row {
  const { id, debitAccountId, creditAccountId, amountFen, code, reference } = spec;
  const fail = (why: string) => {
    throw new LedgerSpecError(`Transfer ${JSON.stringify(id)}: ${why}`);
  };
  if (typeof id !== "string" || id.length === 0 || id.length > 200) fail("id must be a non-empty string");
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) fail(`amountFen must be a positive integer, got ${amountFen}`);
  if (!code || !reference) fail("code and reference are required");
  if (debitAccountId === creditAccountId) fail("debit and credit accounts must differ");
  parseAccountId(debitAccountId);
  parseAccountId(creditAccountId);
  const phases = [spec.pending, spec.postPendingId !== undefined, spec.voidPendingId !== undefined].filter(Boolean).length;
  if (phases > 1) fail("a transfer is either pending, a post or a void");
  if (spec.timeoutAt && !spec.pending) fail("only a pending transfer has a timeout");
  if (spec.timeoutAt && !Number.isFinite(spec.timeoutAt.getTime())) fail("timeoutAt is not a valid date");
  const flags = spec.pending
    ? TRANSFER_FLAGS.pending
    : spec.postPendingId !== undefined
      ? TRANSFER_FLAGS.postPending
      : spec.voidPendingId !== undefined
        ? TRANSFER_FLAGS.voidPending
        : 0;
  return {
    id,
    debitAccountId,
    creditAccountId,
    amount: amountFen,
    code,
    reference,
    pendingId: spec.postPendingId ?? spec.voidPendingId ?? null,
    flags,
    timeoutAt: spec.timeoutAt ? spec.timeoutAt.getTime() : null,
  };
}

/** D1 binds at most 100 parameters per statement; an account row takes 5. */
const ACCOUNTS_PER_INSERT = 20;

/**
 * Everything a list of transfers needs, for the caller to put into ONE `db.batch` with its own statements:
 * lazy account rows (flags fixed by code), then one journal row per transfer. The journal triggers move the
 * balances in the same statement and enforce the guards (overdraft, exactly-once resolution), so if any
 * statement fails the whole batch, the caller's statements included, rolls back.
 */
export function transferStatements(d1: D1Database, specs: TransferSpec[], now: Date = new Date()): D1PreparedStatement[] {
  if (specs.length === 0) throw new LedgerSpecError("No transfers to execute");
  const rows = specs.map(toRow);
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.id)) throw new LedgerSpecError(`Transfer id ${r.id} appears twice in one operation`);
    seen.add(r.id);
  }
  const at = now.getTime();
  const accountIds = [...new Set(rows.flatMap((r) => [r.debitAccountId, r.creditAccountId]))];
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < accountIds.length; i += ACCOUNTS_PER_INSERT) {
    const chunk = accountIds.slice(i, i + ACCOUNTS_PER_INSERT);
    const params = chunk.flatMap((id) => {
      const { code, owner, flags } = parseAccountId(id);
      return [id, code, owner, flags, at];
    });
    statements.push(
      d1
        .prepare(`INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?)").join(", ")}`)
        .bind(...params),
    );
  }
  for (const r of rows) {
    statements.push(
      d1
        .prepare(
          `INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, code, reference, pending_id, flags, timeout_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(r.id, r.debitAccountId, r.creditAccountId, r.amount, r.code, r.reference, r.pendingId, r.flags, r.timeoutAt, at),
    );
  }
  return statements;
}

/**
 * Runs the transfers (and the caller's `extra` statements, after them) as one batch. A replay of an
 * operation already recorded answers `exists`; any difference from what was recorded is a 409 naming
 * the first differing field; an overdraft is a 409 `insufficient-funds`. Nothing is written on an error.
 */
export async function executeTransfers(
  d1: D1Database,
  specs: TransferSpec[],
  extra: D1PreparedStatement[] = [],
  options: { now?: Date } = {},
): Promise<TransferResult> {
  const statements = transferStatements(d1, specs, options.now);
  try {
    await d1.batch([...statements, ...extra]);
    return { status: "created" };
  } catch (error) {
    return explainTransferFailure(d1, specs, error);
  }
}

/**
 * For a caller that ran `transferStatements` in its own batch and saw it fail: answers `exists` when the
 * batch was a faithful replay, throws the 409 of a mismatching replay or of the guard that aborted it,
 * and otherwise rethrows the original error (the caller's own statements failed).
 */
export async function explainTransferFailure(d1: D1Database, specs: TransferSpec[], error: unknown): Promise<TransferResult> {
  let replay: TransferResult | null;
  try {
    replay = await compareWithRecorded(d1, specs);
  } catch (lookupError) {
    if (lookupError instanceof ApiError) throw lookupError;
    throw error; // D1 itself is failing: report what broke the batch, not the follow-up read.
  }
  if (replay) return replay;
  throw ledgerError(error) ?? error;
}

/** Compares an operation with what the journal holds; null when none of its transfers is recorded. */
async function compareWithRecorded(d1: D1Database, specs: TransferSpec[]): Promise<TransferResult | null> {
  const wanted = specs.map(toRow);
  const stored = new Map<string, Row>();
  for (let i = 0; i < wanted.length; i += 90) {
    const ids = wanted.slice(i, i + 90).map((r) => r.id);
    const { results } = await d1
      .prepare(
        `SELECT id, debit_account_id AS debitAccountId, credit_account_id AS creditAccountId, amount, code, reference,
                pending_id AS pendingId, flags, timeout_at AS timeoutAt
         FROM transfers WHERE id IN (${ids.map(() => "?").join(", ")})`,
      )
      .bind(...ids)
      .all<Row>();
    for (const r of results) stored.set(r.id, r);
  }
  if (stored.size === 0) return null;
  for (const w of wanted) {
    const s = stored.get(w.id);
    if (!s) {
      throw ApiError.conflict(
        "exists_with_different_linked_transfers",
        `Some transfers of this operation are recorded and ${w.id} is not: the ids were reused for a different operation.`,
      );
    }
    const field = firstDifference(w, s);
    if (field) {
      throw ApiError.conflict(`exists_with_different_${field}`, `Transfer ${w.id} was recorded with a different ${field.replaceAll("_", " ")}.`);
    }
  }
  return { status: "exists" };
}

/** Field names as TigerBeetle reports them (exists_with_different_flags, …, _amount, _code) plus our reference. */
function firstDifference(wanted: Row, stored: Row): string | null {
  if (wanted.flags !== stored.flags) return "flags";
  if (wanted.pendingId !== stored.pendingId) return "pending_id";
  if (wanted.debitAccountId !== stored.debitAccountId) return "debit_account_id";
  if (wanted.creditAccountId !== stored.creditAccountId) return "credit_account_id";
  if (wanted.amount !== stored.amount) return "amount";
  if (wanted.code !== stored.code) return "code";
  if (wanted.reference !== stored.reference) return "reference";
  // The timeout is not compared: callers compute it from their clock, and the first one recorded wins.
  return null;
}

const GUARD_ERRORS: Array<[RegExp, () => ApiError]> = [
  [/accounts_(debits_must_not_exceed_credits|credits_must_not_exceed_debits)/, () => ApiError.conflict("insufficient-funds", "The account does not hold enough (pending amounts count against it); nothing was written.")],
  [/ledger_pending_transfer_not_found/, () => ApiError.conflict("pending-transfer-not-found", "There is no pending transfer with that id.")],
  [/ledger_pending_transfer_already_posted/, () => ApiError.conflict("pending-transfer-already-posted", "The pending transfer was already posted; it resolves exactly once.")],
  [/ledger_pending_transfer_already_voided/, () => ApiError.conflict("pending-transfer-already-voided", "The pending transfer was already voided; it resolves exactly once.")],
  [/UNIQUE constraint failed: transfers\.pending_id/, () => ApiError.conflict("pending-transfer-already-resolved", "The pending transfer was already posted or voided.")],
  [/ledger_pending_transfer_accounts_differ/, () => ApiError.conflict("pending-transfer-accounts-differ", "A post or void must repeat the pending transfer's accounts.")],
  [/ledger_post_exceeds_pending_amount/, () => ApiError.conflict("post-exceeds-pending-amount", "A post cannot move more than the pending amount.")],
  [/ledger_void_amount_differs_from_pending/, () => ApiError.conflict("void-amount-differs", "A void carries the pending amount.")],
  [/ledger_pending_transfer_expired/, () => ApiError.conflict("pending-transfer-expired", "The pending transfer timed out; it can only be voided.")],
];

/** Maps a guard that aborted the batch to its problem; null for anything else (the caller's own errors). */
export function ledgerError(error: unknown): ApiError | null {
  const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
  for (const [pattern, make] of GUARD_ERRORS) if (pattern.test(message)) return make();
  return null;
}
