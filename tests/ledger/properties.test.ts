import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountId } from "../../worker/ledger/accounts";
import { voidExpiredPendingTransfers } from "../../worker/ledger/jobs";
import { balance, executeTransfers, type TransferSpec } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";

/**
 * Random sequences of transfers, linked pairs, pending/post/void, replays and conflicting replays, run
 * against the real ledger and a small in-memory model. After every step: the outcome is the model's,
 * the flagged accounts hold what the model holds, the global invariants hold, and the journal only grew.
 */
const db = env.DB;

type Side = { dp: number; cp: number; dq: number; cq: number };
type Model = { accounts: Map<string, Side>; recorded: Map<string, TransferSpec>; pendingState: Map<string, "open" | "posted" | "voided"> };

// Account slots: 0 is an unflagged source (commission expense); the rest never go negative.
const slots = (run: string) => [
  accountId("commission_expense"),
  accountId("commission_available", `${run}a`),
  accountId("commission_available", `${run}b`),
  accountId("payout_in_flight", `${run}a`),
];
const FLAGGED = [1, 2, 3];

type Step =
  | { kind: "transfer"; from: number; to: number; amount: number; pending: boolean; expired: boolean }
  | { kind: "expire" }
  | { kind: "linked"; a: { from: number; to: number; amount: number }; b: { from: number; to: number; amount: number } }
  | { kind: "resolve"; pick: number; post: boolean; amountPct: number }
  | { kind: "replay"; pick: number; changeAmount: boolean };

const slot = fc.integer({ min: 0, max: 3 });
const move = fc.record({ from: slot, to: slot, amount: fc.integer({ min: 1, max: 60 }) }).filter((m) => m.from !== m.to);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("transfer" as const), from: slot, to: slot, amount: fc.integer({ min: 1, max: 60 }), pending: fc.boolean(), expired: fc.boolean() }).filter((s) => s.from !== s.to) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("linked" as const), a: move, b: move }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("resolve" as const), pick: fc.nat(), post: fc.boolean(), amountPct: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat(), changeAmount: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "expire" as const }) },
);

/** What the ledger must answer for `specs`, applying it to the model when it succeeds. */
function predict(model: Model, specs: TransferSpec[]): string {
  const known = specs.filter((s) => model.recorded.has(s.id));
  if (known.length > 0) {
    if (known.length < specs.length) return "exists_with_different_linked_transfers";
    for (const s of specs) if (s.amountFen !== model.recorded.get(s.id)!.amountFen) return "exists_with_different_amount";
    return "exists";
  }
  const next = new Map([...model.accounts].map(([k, v]) => [k, { ...v }]));
  const pendingState = new Map(model.pendingState);
  const side = (id: string) => next.get(id) ?? (next.set(id, { dp: 0, cp: 0, dq: 0, cq: 0 }), next.get(id)!);
  for (const s of specs) {
    const d = side(s.debitAccountId);
    const c = side(s.creditAccountId);
    const target = s.postPendingId ?? s.voidPendingId;
    if (target) {
      const state = pendingState.get(target);
      if (state === "posted") return "pending-transfer-already-posted";
      if (state === "voided") return "pending-transfer-already-voided";
      const p = model.recorded.get(target)!;
      if (s.postPendingId && s.amountFen > p.amountFen) return "post-exceeds-pending-amount";
      if (s.postPendingId && p.timeoutAt) return "pending-transfer-expired";
      d.dq -= p.amountFen;
      c.cq -= p.amountFen;
      if (s.postPendingId) (d.dp += s.amountFen), (c.cp += s.amountFen);
      pendingState.set(target, s.postPendingId ? "posted" : "voided");
    } else if (s.pending) {
      (d.dq += s.amountFen), (c.cq += s.amountFen);
      pendingState.set(s.id, "open");
    } else {
      (d.dp += s.amountFen), (c.cp += s.amountFen);
    }
    for (const id of [s.debitAccountId, s.creditAccountId]) {
      const a = next.get(id)!;
      if (!id.startsWith("commission_expense") && a.dp + a.dq > a.cp) return "insufficient-funds";
    }
  }
  model.accounts = next;
  model.pendingState = pendingState;
  for (const s of specs) model.recorded.set(s.id, s);
  return "created";
}

let runs = 0;

describe("ledger properties", () => {
  it("keeps every invariant through random operations, failures and replays", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 20, size: "max" }), async (steps) => {
        const run = `p${runs++}`;
        const acc = slots(run);
        const model: Model = { accounts: new Map(), recorded: new Map(), pendingState: new Map() };
        const submitted: TransferSpec[][] = [];
        let journal: unknown[] = [];
        let n = 0;
        const spec = (from: number, to: number, amountFen: number, extra: Partial<TransferSpec> = {}): TransferSpec => ({
          id: `${run}:t${n++}`, debitAccountId: acc[from], creditAccountId: acc[to], amountFen, code: "property", reference: `${run}:op`, ...extra,
        });
        // Seed balances so that most steps succeed and overdrafts happen at the edges.
        const funding = [spec(0, 1, 150), spec(0, 2, 100)];
        expect(predict(model, funding)).toBe("created");
        await executeTransfers(db, funding);
        for (const s of steps) {
          let specs: TransferSpec[] | null = null;
          if (s.kind === "expire") {
            // The scheduler's job voids every expired reservation (this run's have timeouts in the past).
            while ((await voidExpiredPendingTransfers(db, new Date())).voided > 0);
            for (const t of model.recorded.values()) {
              if (t.timeoutAt && model.pendingState.get(t.id) === "open") {
                const voided: TransferSpec = { ...t, id: `${t.id}:expired`, pending: undefined, timeoutAt: undefined, voidPendingId: t.id };
                expect(predict(model, [voided])).toBe("created");
              }
            }
          } else if (s.kind === "transfer") {
            const phase = s.pending ? { pending: true, ...(s.expired ? { timeoutAt: new Date(Date.now() - 60_000) } : {}) } : {};
            specs = [spec(s.from, s.to, s.amount, phase)];
          } else if (s.kind === "linked") {
            specs = [spec(s.a.from, s.a.to, s.a.amount), spec(s.b.from, s.b.to, s.b.amount)];
          } else if (s.kind === "resolve") {
            const pendings = [...model.recorded.values()].filter((t) => t.pending);
            if (pendings.length === 0) continue;
            const p = pendings[s.pick % pendings.length];
            const amountFen = s.post ? Math.max(1, Math.round((p.amountFen * s.amountPct) / 100)) : p.amountFen;
            specs = [{ ...p, id: `${run}:t${n++}`, amountFen, pending: undefined, timeoutAt: undefined, ...(s.post ? { postPendingId: p.id } : { voidPendingId: p.id }) }];
          } else {
            if (submitted.length === 0) continue;
            const original = submitted[s.pick % submitted.length];
            specs = s.changeAmount ? original.map((t, i) => (i === 0 ? { ...t, amountFen: t.amountFen + 1 } : t)) : original;
          }
          if (specs) {
            submitted.push(specs);
            const expected = predict(model, specs);
            const actual = await executeTransfers(db, specs).then((r) => r.status, (e: { code?: string }) => e.code ?? String(e));
            expect(actual, JSON.stringify(specs)).toBe(expected);
          }

          for (const i of FLAGGED) {
            const m = model.accounts.get(acc[i]) ?? { dp: 0, cp: 0, dq: 0, cq: 0 };
            const b = await balance(db, acc[i]);
            expect([b.debitsPostedFen, b.creditsPostedFen, b.pendingDebitsFen, b.pendingCreditsFen], acc[i]).toEqual([m.dp, m.cp, m.dq, m.cq]);
          }
          await expectLedgerInvariants(db);
          const rows = (await db.prepare("SELECT * FROM transfers WHERE reference = ? ORDER BY seq").bind(`${run}:op`).all()).results;
          expect(rows.slice(0, journal.length), "the journal only grows").toEqual(journal);
          journal = rows;
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
