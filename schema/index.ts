export * from "./members";
export * from "./courses";
export * from "./ledger";
export * from "./orders";
