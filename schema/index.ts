export * from "./members";
export * from "./courses";
export * from "./idempotency";
export * from "./wechat";
export * from "./ledger";
