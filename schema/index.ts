export * from "./members";
export * from "./courses";
export * from "./orders";
