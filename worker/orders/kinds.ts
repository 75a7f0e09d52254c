import { ApiError } from "../http/problem";
import { courseOrderKind } from "../courses/order-kind";
import { shareSubscriptionKind } from "../crowdfunding/order-kind";
import { auctionDepositKind } from "../auctions/deposit-kind";
import { auctionPurchaseKind } from "../auctions/purchase-kind";
import type { OrderKind } from "./kind";

/**
 * Every kind of order the platform takes. A feature adds its kind here (one line) and keeps the kind's rules in
 * its own module; payment notifications, the overdue-payment job and refunds stay one code path for all kinds.
 */
const orderKinds = (): OrderKind[] => [courseOrderKind, shareSubscriptionKind, auctionDepositKind, auctionPurchaseKind];

// Built on first use, not at import: kind modules import the orders module's services, which import this list.
let registry: Map<string, OrderKind> | undefined;
const kinds = () => (registry ??= new Map(orderKinds().map((k) => [k.name, k])));

/** The kind of a stored order; an unknown kind is a deployment error, never a member's fault. */
export function orderKind(name: string): OrderKind {
  const kind = kinds().get(name);
  if (!kind) throw new ApiError(500, "unknown-order-kind", `No order kind ${name} is registered.`);
  return kind;
}

/** Adds a kind at run time: for tests, which register a kind the product does not have. */
export function registerOrderKind(kind: OrderKind): void {
  kinds().set(kind.name, kind);
}
