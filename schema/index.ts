export * from "./members";
export * from "./courses";
export * from "./audit";
export * from "./admin";
