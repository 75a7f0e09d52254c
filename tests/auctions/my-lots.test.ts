import { describe, expect, it } from "vitest";
import { api, bid, createLot, endLot, lotObject, memberWithToken } from "./support";

const ADDRESS = { userName: "张三", telNumber: "13800000000", provinceName: "浙江省", cityName: "杭州市", countyName: "西湖区", detailInfo: "文三路 1 号" };

describe("我的竞拍", () => {
  it("lists the lots I bid on while open, then the one I won, to pay; only the winner gives an address", async () => {
    const lot = await createLot();
    const [a, b] = [await memberWithToken(), await memberWithToken()];
    await bid(lot.id, a.token, { amountFen: 50_000 });
    await bid(lot.id, b.token, { amountFen: 51_000 });
    await lotObject(lot.id).flush();

    const bidding = await api("/api/me/lots?tab=bidding", { token: a.token });
    expect(bidding.body.items).toEqual([expect.objectContaining({ lotId: lot.id, leading: false, myTopBidFen: 50_000, sale: null })]);
    expect((await api("/api/me/lots?tab=bidding", { token: b.token })).body.items[0].leading).toBe(true);

    await endLot(lot.id);
    expect((await api("/api/me/lots?tab=bidding", { token: a.token })).body.items).toEqual([]);
    expect((await api("/api/me/lots?tab=won", { token: a.token })).body.items).toEqual([]);
    const toPay = await api("/api/me/lots?tab=to_pay", { token: b.token });
    expect(toPay.body.items).toEqual([expect.objectContaining({ lotId: lot.id, leading: true, sale: expect.objectContaining({ status: "awaiting_payment", priceFen: 51_000 }) })]);

    const put = (token: string, body: unknown) => api(`/api/lots/${lot.id}/shipping-address`, { method: "PUT", token, body });
    expect((await put(a.token, ADDRESS)).status).toBe(404);
    expect((await put(b.token, { ...ADDRESS, telNumber: "call me" })).status).toBe(422);
    expect((await put(b.token, ADDRESS)).status).toBe(200);
    const won = await api("/api/me/lots?tab=won", { token: b.token });
    expect(won.body.items[0].sale.shippingAddress).toMatchObject(ADDRESS);
    expect((await api("/api/me/lots?tab=soon", { token: b.token })).status).toBe(422);
  });
});
