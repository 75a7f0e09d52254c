import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { csvBeijingTime, csvResponse, keysetChunks, type CsvColumn } from "../../console/csv";
import { TIER_LABELS } from "../../console/layout";
import { badQueryPage, blankToUndefined, dayWindow, withDayRange } from "../../console/list-filters";
import { TIERS } from "../../http/auth";
import { MembersPage } from "./pages";
import { memberExportChunk, parseMemberCursor, searchMembers, type MemberFilter, type MemberRow } from "./queries";
import { memberStandingConsole } from "./standing";
import { maskedPhone, phoneSearchHash } from "../phone";

/** 会员 in the console: search and filters, the CSV export, and a member's page (standing.tsx). */
export const memberConsole = new Hono<ConsoleEnv>();

const MemberFilters = {
  q: z.string().trim().max(64).default(""),
  tier: z.preprocess(blankToUndefined, z.enum(TIERS).optional()),
};
const MemberQuery = withDayRange({
  ...MemberFilters,
  cursor: z.preprocess(blankToUndefined, z.string().max(120).refine((s) => parseMemberCursor(s) !== null, "不是本列表的翻页位置").optional()),
});
const MemberExportQuery = withDayRange(MemberFilters);

async function filterOf(env: Env, q: { q: string; tier?: MemberFilter["tier"]; from?: string; to?: string }): Promise<MemberFilter> {
  return { q: q.q, tier: q.tier, ...dayWindow(q), phoneHash: q.q ? await phoneSearchHash(env, q.q) : undefined };
}

memberConsole.get("/members", async (c) => {
  const parsed = MemberQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const query = parsed.data;
  const page = await searchMembers(c.var.db, await filterOf(c.env, query), query.cursor);
  // Lists show phone numbers masked; the member's own page shows the number.
  const rows = await Promise.all(page.items.map(async (m) => ({ ...m, phone: await maskedPhone(c.env, m) })));
  return c.html(<MembersPage session={c.var.session} filters={{ q: query.q, tier: query.tier, from: query.from, to: query.to }} rows={rows} nextCursor={page.nextCursor} />);
});

const memberColumns: CsvColumn<MemberRow>[] = [
  { header: "会员ID", value: (m) => m.id },
  { header: "昵称", value: (m) => m.nickname },
  { header: "等级", value: (m) => TIER_LABELS[m.tier] ?? m.tier },
  { header: "手机号（脱敏）", value: (m) => m.phone },
  { header: "openid", value: (m) => m.openid },
  { header: "邀请码", value: (m) => m.inviteCode },
  { header: "一级推荐人ID", value: (m) => m.referrer1Id },
  { header: "一级推荐人昵称", value: (m) => m.referrer1Nickname },
  { header: "二级推荐人ID", value: (m) => m.referrer2Id },
  { header: "状态", value: (m) => (m.blockedAt ? "已停用" : "正常") },
  { header: "注册时间(北京)", value: (m) => csvBeijingTime(m.createdAt) },
];

/** CSV of the members the list's filters select, read in chunks of 500 by primary key, phones masked. */
memberConsole.get("/members/export.csv", async (c) => {
  const parsed = MemberExportQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const filter = await filterOf(c.env, parsed.data);
  const chunks = keysetChunks(
    async (after, size) => Promise.all((await memberExportChunk(c.var.db, filter, after, size)).map(async (m) => ({ ...m, phone: await maskedPhone(c.env, m) }))),
    (m) => m.id,
  );
  return csvResponse("members.csv", memberColumns, chunks);
});

memberConsole.route("/", memberStandingConsole);
