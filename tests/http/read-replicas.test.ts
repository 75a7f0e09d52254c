import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountId } from "../../worker/ledger/accounts";
import { executeTransfers } from "../../worker/ledger/service";
import { call, mintMember, parsed } from "../support/api";

const BOOKMARK = "x-d1-bookmark";

async function partnerWithEarnings(amountFen: number) {
  const { id, token } = await mintMember({ tier: "promoter" });
  await executeTransfers(env.DB, [
    { id: `replica-test:${id}`, debitAccountId: accountId("commission_expense"), creditAccountId: accountId("commission_available", id), amountFen, code: "commission_available", reference: `test:${id}` },
  ]);
  return token;
}

describe("D1 read replicas (Sessions API): a member always reads their own writes", () => {
  it("a write answers the bookmark of its session; a read started from that bookmark sees the write and answers a newer one", async () => {
    const token = await partnerWithEarnings(10_000);
    const requested = await parsed(call("/api/partner/withdrawals", { token, json: { amountFen: 3_000 } }));
    expect(requested.status).toBe(201);
    const written = requested.headers.get(BOOKMARK);
    expect(written).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/);

    const listed = await parsed(call("/api/partner/withdrawals", { token, headers: { [BOOKMARK]: written! } }));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([requested.body.id]);
    // Bookmarks are ordered hex versions: the read's session is at least where the write left it.
    expect(listed.headers.get(BOOKMARK)! >= written!).toBe(true);
  });

  it("a read without a bookmark starts unconstrained and still answers one", async () => {
    const { token } = await mintMember();
    const me = await call("/api/me", { token });
    expect(me.status).toBe(200);
    expect(me.headers.get(BOOKMARK)).toBeTruthy();
  });

  it("a malformed bookmark is a 400 problem that names the header, not a 500", async () => {
    const { token } = await mintMember();
    for (const bad of ["not-a-bookmark", "first-primary", "00000000-00000015-00000000-0000"]) {
      const res = await parsed(call("/api/me", { token, headers: { [BOOKMARK]: bad } }));
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({ type: "/problems/bad-request", errors: [{ path: BOOKMARK }] });
    }
  });

  it("admin routes and WeChat's notifications use the primary as before: no session, no bookmark", async () => {
    const { token } = await mintMember({ roles: ["admin"] });
    const res = await call("/api/admin/withdrawals", { token });
    expect(res.status).toBe(200);
    expect(res.headers.get(BOOKMARK)).toBeNull();
  });

  it("the OpenAPI document declares the header on member reads and the answer header on member routes", async () => {
    const doc = (await parsed(call("/openapi.json"))).body;
    const read = doc.paths["/api/partner/withdrawals"].get;
    expect(read.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: "header", name: BOOKMARK })]));
    expect(Object.keys(read.responses["200"].headers)).toContain("X-D1-Bookmark");
    const write = doc.paths["/api/partner/withdrawals"].post;
    expect((write.parameters ?? []).some((p: { name: string }) => p.name === BOOKMARK)).toBe(false);
    expect(Object.keys(write.responses["201"].headers)).toContain("X-D1-Bookmark");
    expect(doc.paths["/api/admin/withdrawals"].get.responses["200"].headers).toBeUndefined();
  });
});
