/**
 * Share payloads that carry the member's invite code, so whoever opens them is bound to the sharer
 * (App.onLaunch reads `inviteCode` from the query). Without a code yet, the page is shared plainly.
 */
import { buildQuery } from "./client";

export const SHARE_TITLE = "知识社群 · 好课推荐";

function queryWithInvite(query: Record<string, string | undefined>, inviteCode: string | null | undefined): string {
  return buildQuery({ ...query, inviteCode: inviteCode || undefined }).replace(/^\?/, "");
}

/** For onShareAppMessage: `path` is the page route with its query. */
export function shareMessage(route: string, query: Record<string, string | undefined>, inviteCode: string | null | undefined, title = SHARE_TITLE) {
  const q = queryWithInvite(query, inviteCode);
  return { title, path: q ? `${route}?${q}` : route };
}

/** For onShareTimeline (朋友圈): the query alone, opened on the sharing page. */
export function shareTimeline(query: Record<string, string | undefined>, inviteCode: string | null | undefined, title = SHARE_TITLE) {
  return { title, query: queryWithInvite(query, inviteCode) };
}
