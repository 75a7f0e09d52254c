import { z } from "zod";
import { declareSetting } from "../settings/declare";

/** 客户关系保护期: how long the first referral binding is protected; 0 = for ever. */
export const protectionDays = declareSetting<number>({
  key: "referral.protectionDays",
  label: "客户关系保护期（天）",
  help: "整数天数，0 表示永久保护（首次绑定的推荐人不可更换）。",
  schema: z.number().int().min(0).max(3650),
  default: 0,
});

export const memberSettings = [protectionDays];
