/** 我的竞拍 rows as the page shows them (plain; tested without rendering). */
import { formatFen } from "./money";

export const MY_LOT_TABS = [
  { key: "bidding", label: "竞拍中" },
  { key: "won", label: "已拍得" },
  { key: "to_pay", label: "待付款" },
  { key: "shipped", label: "已发货" },
] as const;
export type MyLotTab = (typeof MY_LOT_TABS)[number]["key"];

const SALE_LABELS: Record<string, string> = { awaiting_payment: "待付款", paid: "已付款，待发货", unpaid: "逾期未付款", shipped: "已发货" };

type Address = { userName: string; telNumber: string; provinceName: string; cityName: string; countyName: string; detailInfo: string };
type MyLot = {
  lotId: string;
  title: string;
  state: "upcoming" | "live" | "ended";
  currentPriceFen: number | null;
  leading: boolean;
  myTopBidFen: number | null;
  sale: { status: string; priceFen: number; paymentDueAt: string; shippingAddress: Address | null; carrier: string | null; trackingNo: string | null } | null;
};

export function myLotView(lot: MyLot) {
  const sale = lot.sale;
  const address = sale?.shippingAddress;
  return {
    lotId: lot.lotId,
    title: lot.title,
    priceLabel: sale ? `成交价 ${formatFen(sale.priceFen)}` : lot.currentPriceFen === null ? "" : `当前价 ${formatFen(lot.currentPriceFen)}`,
    statusLabel: sale ? (SALE_LABELS[sale.status] ?? sale.status) : lot.leading ? "领先" : "已被超过",
    myBidLabel: lot.myTopBidFen === null ? "" : `我的最高出价 ${formatFen(lot.myTopBidFen)}`,
    addressLabel: address ? `${address.userName} ${address.telNumber} ${address.provinceName}${address.cityName}${address.countyName}${address.detailInfo}` : "",
    canChooseAddress: sale !== null && (sale.status === "awaiting_payment" || sale.status === "paid"),
    shipmentLabel: sale?.carrier ? `${sale.carrier} ${sale.trackingNo}` : "",
    payLabel: sale?.status === "awaiting_payment" ? `去支付 ${formatFen(sale.priceFen)}` : "",
  };
}
