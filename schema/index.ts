export * from "./members";
export * from "./courses";
