export * from "./members";
export * from "./courses";
export * from "./ledger";
export * from "./idempotency";
export * from "./wechat";
export * from "./orders";
export * from "./audit";
export * from "./admin";
