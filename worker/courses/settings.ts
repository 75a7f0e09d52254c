import { z } from "zod";
import { TIERS, type Tier } from "../http/auth";
import { declareSetting } from "../settings/declare";

/** Tiers that may learn every course without buying it (default: shareholders, 股东合伙人). */
export const allAccessTiers = declareSetting<Tier[]>({
  key: "courses.allAccessTiers",
  label: "可学全部课程的会员等级",
  help: "JSON 数组，取值 member · promoter · channel_partner · shareholder，例如 [\"shareholder\"]。",
  schema: z.array(z.enum(TIERS)).max(TIERS.length),
  default: ["shareholder"],
});

export const courseSettings = [allAccessTiers];
