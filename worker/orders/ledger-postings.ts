/**
 * The ledger postings of the course shop, as statements to put inside the shop's own settling batch.
 * Revenue: debit wechat_clearing, credit revenue_course (`order:<id>:revenue`).
 * Refund: debit revenue_course, credit wechat_clearing (`refund:<refundId>`).
 */
export function revenuePostings(d1: D1Database, order: { id: string; amountFen: number }, now: Date): D1PreparedStatement[] {
  void d1; void order; void now;
  return []; // wired to worker/ledger once it lands
}

export function refundPostings(d1: D1Database, refund: { id: string; orderId: string; amountFen: number }, now: Date): D1PreparedStatement[] {
  void d1; void refund; void now;
  return [];
}
