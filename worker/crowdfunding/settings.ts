import { z } from "zod";
import { declareSetting } from "../settings/declare";

/**
 * Distinct shareholders across all rounds. Securities Law art. 9–10: more than 200 specific people makes an offering
 * public; a limited-partnership holding vehicle has at most 50 partners (Partnership Enterprise Law art. 61), so its
 * operator sets 50. The legal ceiling of 200 is also a CHECK in the database, whatever is stored here.
 */
export const holderCap = declareSetting<number>({
  key: "crowdfunding.holderCap",
  label: "股东人数上限",
  help: "所有众筹轮次合计的股东人数上限（含认购中），1–200；持股平台为有限合伙企业时设为 50。",
  schema: z.number().int().min(1).max(200),
  default: 200,
});

export const crowdfundingSettings = [holderCap];

/**
 * The cap as an SQL expression, for a batch that decides without reading first (a subscription): the stored value
 * when it is an integer the declaration accepts (1–200), otherwise the default — what `settingValue` would answer.
 */
export const HOLDER_CAP_SQL = `coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = '${holderCap.key}'
  AND json_valid(value) AND json_type(value) = 'integer' AND CAST(value AS INTEGER) BETWEEN 1 AND 200), ${holderCap.default})`;
