import type { Context } from "hono";
import { z } from "zod";
import { beijingMidnight, DAY_MS } from "../calendar/beijing";
import type { ConsoleEnv } from "./context";
import { ErrorPage } from "./error-pages";

/**
 * `?from=YYYY-MM-DD&to=YYYY-MM-DD` of the console's lists: Beijing calendar days (UTC+8, no daylight saving), both
 * included. A blank field (an empty form input) means "no bound"; anything else must be a real date.
 */
export const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);

/** A real calendar day written YYYY-MM-DD. */
export const BeijingDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD")
  .refine((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d;
  }, "不是有效的日期");

/** An optional day: a blank form field means no bound. */
export const BeijingDate = z.preprocess(blankToUndefined, BeijingDay.optional());

export type DayRange = { from?: string; to?: string };

/** The half-open window [fromMs, toMs) of a day range; `to` includes its whole day. */
export function dayWindow(r: DayRange): { fromMs?: number; toMs?: number } {
  return { fromMs: r.from ? beijingMidnight(r.from) : undefined, toMs: r.to ? beijingMidnight(r.to) + DAY_MS : undefined };
}

/** Adds the `from`/`to` fields to a list's query schema, refusing a range that ends before it starts. */
export function withDayRange<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, from: BeijingDate, to: BeijingDate })
    .refine((q) => {
      const { from, to } = q as DayRange;
      return !from || !to || from <= to;
    }, { message: "结束日期不能早于开始日期", path: ["to"] });
}

/** The query's first problem in words for the error page. */
export function queryProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.join(".") || "查询";
  return `筛选条件有误（${where}：${issue?.message ?? "无效"}）。`;
}

/** A list's query that did not validate: the console's styled error page, 400, nothing read. */
export function badQueryPage(c: Context<ConsoleEnv>, error: z.ZodError) {
  return c.html(<ErrorPage c={c} status={400} detail={queryProblem(error)} />, 400);
}

/** The two date inputs of a list's filter form (Beijing days, both included). */
export function DayRangeFields({ from, to }: DayRange) {
  return (
    <>
      <label>
        从 <input type="date" name="from" value={from ?? ""} data-testid="filter-from" />
      </label>
      <label>
        到 <input type="date" name="to" value={to ?? ""} data-testid="filter-to" />
      </label>
    </>
  );
}

/** A list's query string with its filters (blank ones left out) and, optionally, a cursor. */
export function listHref(path: string, filters: Record<string, string | undefined>, cursor?: string) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
  if (cursor) p.set("cursor", cursor);
  const s = p.toString();
  return `${path}${s ? `?${s}` : ""}`;
}

/** The foot of a keyset-paged console list: back to the first page and, while there is one, the next, keeping the filters. */
export function Pager({ path, filters = {}, nextCursor, first = "« 第一页" }: { path: string; filters?: Record<string, string | undefined>; nextCursor: string | null; first?: string }) {
  return (
    <div class="pager">
      <a href={listHref(path, filters)}>{first}</a>
      {nextCursor ? (
        <a href={listHref(path, filters, nextCursor)} rel="next">
          下一页 »
        </a>
      ) : null}
    </div>
  );
}
