import { ACCOUNT_FLAGS } from "../../schema/ledger";

/**
 * Every account code the platform uses, with the fixed flags its accounts carry (docs/architecture.md §3).
 * Because flags follow from the code, accounts are created lazily (INSERT OR IGNORE) in the same batch
 * as their first transfer. `normal` is the side a healthy balance sits on: it decides the sign of
 * `postedFen`/`availableFen` in `balance()`.
 * Add a code here (with the reason for its flags) before moving money through a new kind of account.
 */
export const ACCOUNT_CODES = {
  /** Our money at WeChat Pay (an asset): payments in, refunds and payouts out. Unflagged: WeChat is the limit. */
  wechat_clearing: { owned: false, normal: "debit", flags: 0 },
  revenue_course: { owned: false, normal: "credit", flags: 0 },
  revenue_auction: { owned: false, normal: "credit", flags: 0 },
  /** Commissions and dividends granted are an expense; debited when they are credited to a member. */
  commission_expense: { owned: false, normal: "debit", flags: 0 },
  /** What the platform owes a member: never below zero. */
  commission_frozen: { owned: true, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  commission_available: { owned: true, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  /**
   * What a member owes after a commission was clawed back beyond their available balance (an asset: debited by the
   * shortfall, credited as later earnings repay it). Never credited beyond what is owed.
   */
  commission_debt: { owned: true, normal: "debit", flags: ACCOUNT_FLAGS.creditsMustNotExceedDebits },
  payout_in_flight: { owned: true, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  /** An auction bidder's deposit (保证金) held by the platform. */
  deposit_held: { owned: true, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  /** A crowdfunding round's escrow (owner = round id): can only release what subscribers paid. */
  crowdfund_escrow: { owned: true, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  equity_capital: { owned: false, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  /** A declared dividend waiting to be split; cannot hand out more than was declared. */
  dividend_pool: { owned: false, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  dividends_payable: { owned: true, normal: "credit", flags: ACCOUNT_FLAGS.debitsMustNotExceedCredits },
  /** Withdrawal fees and other fees earned. */
  fees: { owned: false, normal: "credit", flags: 0 },
  /** Refunds accepted but not yet confirmed by WeChat. */
  refunds_payable: { owned: false, normal: "credit", flags: 0 },
} as const satisfies Record<string, { owned: boolean; normal: "debit" | "credit"; flags: number }>;

export type AccountCode = keyof typeof ACCOUNT_CODES;

/** Deterministic account id: the code, or `code:owner` for per-member / per-round accounts. */
export function accountId(code: AccountCode, owner?: string): string {
  const spec = ACCOUNT_CODES[code];
  if (!spec) throw new Error(`Unknown ledger account code: ${code}`);
  if (spec.owned && !owner) throw new Error(`Ledger account code ${code} needs an owner`);
  if (!spec.owned && owner) throw new Error(`Ledger account code ${code} has no owner`);
  return owner ? `${code}:${owner}` : code;
}

export type ParsedAccountId = { code: AccountCode; owner: string | null; flags: number; normal: "debit" | "credit" };

/** Splits an account id back into code and owner; throws on an id that no code accounts for. */
export function parseAccountId(id: string): ParsedAccountId {
  const colon = id.indexOf(":");
  const code = (colon < 0 ? id : id.slice(0, colon)) as AccountCode;
  const owner = colon < 0 ? null : id.slice(colon + 1);
  const spec = Object.hasOwn(ACCOUNT_CODES, code) ? ACCOUNT_CODES[code] : undefined;
  if (!spec) throw new Error(`Unknown ledger account code in id: ${id}`);
  if (spec.owned !== (owner !== null) || owner === "") throw new Error(`Malformed ledger account id: ${id}`);
  return { code, owner, flags: spec.flags, normal: spec.normal };
}
