import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TIERS } from "../../worker/http/auth";
import { paidOrder, seedCourse } from "../orders/support";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { accountsOf, chain, commissionsOf, refundOrder, settleAfter } from "./support";

const RATES = { member: [0, 0], promoter: [1000, 500], channel_partner: [1500, 500], shareholder: [2000, 500] } as const;

let run = 0;

describe("commission properties", () => {
  it("for random chains, orders and refunds, what is finally paid is the rate applied to what was kept, never more", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          l1: fc.constantFrom(...TIERS),
          l2: fc.constantFrom(...TIERS),
          priceFen: fc.integer({ min: 1, max: 50_000 }),
          refundParts: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 3 }),
          settleAfterRefunds: fc.integer({ min: 0, max: 3 }),
        }),
        async ({ l1, l2, priceFen, refundParts, settleAfterRefunds }) => {
          const n = ++run;
          const [buyer] = await chain([[`pp-b${n}`, "member"], [`pp-1-${n}`, l1], [`pp-2-${n}`, l2]]);
          await seedCourse(`c-pp-${n}`, priceFen);
          const { orderId } = await paidOrder(buyer, `c-pp-${n}`);
          let refunded = 0;
          for (let i = 0; i < refundParts.length; i++) {
            if (i === settleAfterRefunds) await settleAfter(8);
            const amount = Math.max(1, Math.floor(((priceFen - refunded) * refundParts[i]) / 100));
            if (refunded + amount > priceFen) break;
            await refundOrder(orderId, amount);
            refunded += amount;
          }
          await settleAfter(8);
          const kept = priceFen - refunded;
          const rows = await commissionsOf(orderId);
          for (const [level, tier] of [[1, l1], [2, l2]] as const) {
            const rate = RATES[tier][level - 1];
            const row = rows.find((r) => r.level === level);
            const paid = row ? row.amount_fen - row.cancelled_fen - row.clawed_back_fen : 0;
            expect(paid).toBeLessThanOrEqual(Math.floor((kept * rate) / 10000));
            expect(paid).toBe(rate > 0 && Math.floor((priceFen * rate) / 10000) > 0 ? Math.floor((kept * rate) / 10000) : 0);
            const acct = await accountsOf(`pp-${level}-${n}`);
            expect(acct.frozen + acct.available - acct.debt).toBe(paid);
          }
          await expectLedgerInvariants(env.DB);
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
