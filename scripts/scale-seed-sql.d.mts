export type ScaleCounts = {
  members: number; courses: number; heroTeam: number; orders: number; transfers: number; withdrawals: number; heroWithdrawals: number;
  round1Holders: number; round2Subscribers: number; lots: number; bidsPerLot: number;
};
export type ScaleFacts = {
  memberId: string; adminMemberId: string; memberAccountId: string; teamMemberId: string; courseId: string; lessonId: string;
  unboughtCourseId: string; roundId: string; closedRoundId: string; lotId: string; withdrawalId: string; roundSubscriberIds: string[];
};
export declare const SCALE_RATES: Record<"promoter" | "channel_partner" | "shareholder", { level1Bps: number; level2Bps: number }>;
export declare function scaleCounts(factor?: number): ScaleCounts;
export declare function scaleSeedSteps(factor?: number, now?: number): { counts: ScaleCounts; steps: { label: string; sql: string[] }[]; facts: ScaleFacts };
export declare function scaleFacts(counts: ScaleCounts): ScaleFacts;
export declare const scaleCountsQuery: string;
