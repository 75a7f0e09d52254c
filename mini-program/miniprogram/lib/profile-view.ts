/** What 我的 shows, from GET /api/me and GET /api/me/invite. */
import type { Invite, MemberProfile } from "./session";
import { tierLabel } from "./tier";

export function profileView(member: MemberProfile, invite: Invite | null) {
  return {
    nickname: member.nickname || "微信用户",
    avatarUrl: member.avatarUrl,
    tierLabel: tierLabel(member.tier),
    referrerLabel: member.referrer ? member.referrer.nickname || "微信用户" : "暂无推荐人",
    inviteCode: invite?.inviteCode ?? member.inviteCode,
  };
}

export type ProfileView = ReturnType<typeof profileView>;
