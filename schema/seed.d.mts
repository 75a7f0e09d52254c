export declare const demoMembers: { id: string; openid: string; nickname: string; tier: string; roles: string[]; inviteCode: string; referrerId: string | null }[];
export declare const demoSettings: Record<string, unknown>;
export declare const demoCourses: { id: string; title: string; priceFen: number; status: string; chapters: { title: string; lessons: { title: string; kind: string; trial?: boolean }[] }[] }[];
export declare const demoRound: { id: string; title: string; sharePriceFen: number; totalShares: number; eligibleTiers: string[] };
export declare function seedStatements(): string[];
