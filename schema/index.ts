export * from "./members";
export * from "./courses";
export * from "./ledger";
export * from "./idempotency";
export * from "./wechat";
export * from "./orders";
