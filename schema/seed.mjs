// Demo data for a local database: the demo members of docs/development.md (an admin, and the referral chain
// demo-member → demo-promoter → demo-partner) and a few courses, published and draft. Every statement is an upsert on a fixed id,
// so seeding twice leaves the same data. Plain JS so both `scripts/seed.mjs` (Node) and the tests can use it.

const T0 = Date.UTC(2026, 0, 1); // fixed timestamps keep the seed identical run after run
const DAY = 86_400_000;

export const demoMembers = [
  { id: "mem-demo-admin", openid: "demo-admin", nickname: "演示管理员", tier: "member", roles: ["admin"], inviteCode: "ADMN2345", referrerId: null },
  { id: "mem-demo-partner", openid: "demo-partner", nickname: "演示渠道合伙人", tier: "channel_partner", roles: [], inviteCode: "PARTNER2", referrerId: null },
  { id: "mem-demo-promoter", openid: "demo-promoter", nickname: "演示推广员", tier: "promoter", roles: [], inviteCode: "PRMTR234", referrerId: "mem-demo-partner" },
  { id: "mem-demo-member", openid: "demo-member", nickname: "演示会员", tier: "member", roles: [], inviteCode: "MEMBER23", referrerId: "mem-demo-promoter" },
];

export /** Available commission the demo partners start with (fen). */
const demoEarningsFen = { "demo-partner": 128_800, "demo-promoter": 8_800 };

const demoSettings = { "referral.protectionDays": 0 };

export const demoCourses = [
  {
    id: "course-calligraphy-basics", title: "书法入门：执笔与基本笔画", subtitle: "零基础七天上手", instructor: "王老师", priceFen: 0, status: "published",
    description: "从执笔、坐姿到八种基本笔画，免费体验课。",
    chapters: [
      { title: "执笔与坐姿", lessons: [{ title: "如何执笔", kind: "video", durationSec: 420 }, { title: "坐姿与运腕", kind: "article" }] },
      { title: "基本笔画", lessons: [{ title: "横与竖", kind: "video", durationSec: 600 }, { title: "撇与捺", kind: "video", durationSec: 660 }] },
    ],
  },
  {
    id: "course-kaishu-30", title: "楷书精讲 30 课", subtitle: "欧体结构与章法", instructor: "王老师", priceFen: 19900, status: "published",
    description: "系统学习欧体楷书的笔法、结构与章法，前两课免费试听。",
    chapters: [
      { title: "笔法", lessons: [{ title: "起笔与收笔", kind: "video", durationSec: 900, trial: true }, { title: "中锋与侧锋", kind: "video", durationSec: 840, trial: true }, { title: "提按节奏", kind: "video", durationSec: 780 }] },
      { title: "结构", lessons: [{ title: "重心与平衡", kind: "video", durationSec: 960 }, { title: "结构八法", kind: "article" }] },
      { title: "章法", lessons: [{ title: "一幅作品的布局", kind: "video", durationSec: 1200 }] },
    ],
  },
  {
    id: "course-shanshui", title: "山水画技法", subtitle: "皴擦点染", instructor: "李老师", priceFen: 29900, status: "published",
    description: "从树石到云水，学习传统山水画的基本技法。",
    chapters: [
      { title: "树石", lessons: [{ title: "画树的四种方法", kind: "video", durationSec: 1100, trial: true }, { title: "石的皴法（音频导读）", kind: "audio", durationSec: 540 }] },
      { title: "云水", lessons: [{ title: "留白与云气", kind: "video", durationSec: 980 }] },
    ],
  },
  {
    id: "course-seal-carving", title: "篆刻初阶（筹备中）", subtitle: "", instructor: "陈老师", priceFen: 9900, status: "draft",
    description: "尚未发布的课程，用于演示发布状态。",
    chapters: [{ title: "工具", lessons: [{ title: "印石与刻刀", kind: "video", durationSec: 500, trial: true }] }],
  },
];

/**
 * A demo crowdfunding round, open to channel partners (demo-partner sees it; demo-member and demo-promoter get 404).
 * Re-seeding resets its terms only: the shares reserved and sold follow its subscriptions, and its state its history.
 */
export const demoRound = {
  id: "round-demo-2026", title: "2026 渠道合伙人众筹（演示）", description: "面向渠道合伙人的定向认购，成功后成为股东合伙人，按持股份数参与分红。",
  riskDisclosure: "【风险揭示】本次认购为非公开定向认购，仅限受邀渠道合伙人参与，股东人数合计不超过 200 人。认购款不保本、不保收益；份额不得转让；如未达目标份数，认购款将原路退回。请确认已充分了解上述风险。",
  sharePriceFen: 100_000, totalShares: 200, minShares: 1, maxShares: 20, targetShares: 100, eligibleTiers: ["channel_partner"], tierOnSuccess: "shareholder",
  opensAt: T0, closesAt: Date.UTC(2030, 0, 1),
};

function roundStatements() {
  const r = demoRound;
  const terms = {
    title: r.title, description: r.description, risk_disclosure: r.riskDisclosure, share_price_fen: r.sharePriceFen, total_shares: r.totalShares, min_shares: r.minShares,
    max_shares: r.maxShares, target_shares: r.targetShares, eligible_tiers: JSON.stringify(r.eligibleTiers), tier_on_success: r.tierOnSuccess, opens_at: r.opensAt, closes_at: r.closesAt,
  };
  const cols = Object.keys(terms);
  return [
    `INSERT INTO rounds (id, ${cols.join(", ")}, disclosure_version, state, created_at, updated_at) VALUES (${lit(r.id)}, ${cols.map((c) => lit(terms[c])).join(", ")}, 1, 'open', ${T0}, ${T0})
     ON CONFLICT (id) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(", ")}`,
    upsert("round_state_changes", { id: "seed-round-demo-draft", round_id: r.id, from_state: null, to_state: "draft", actor_id: "seed", reason: "", created_at: T0 }),
    upsert("round_state_changes", { id: "seed-round-demo-open", round_id: r.id, from_state: "draft", to_state: "open", actor_id: "seed", reason: "", created_at: T0 }),
  ];
}

function lit(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "1" : "0";
  return `'${String(v).replace(/'/g, "''")}'`;
}

function upsert(table, row, key = "id") {
  const cols = Object.keys(row);
  const updates = cols.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((c) => lit(row[c])).join(", ")}) ON CONFLICT (${key}) DO UPDATE SET ${updates.join(", ")}`;
}

/** A demo member's id: the seeded one, or the one a login gave that openid before the seed ran. */
const memberIdOf = (openid) => `(SELECT id FROM members WHERE openid = ${lit(openid)})`;

/**
 * A demo member, upserted by openid: a demo openid that logged in before the seed keeps the id its login gave it
 * (orders, bindings and ledger accounts may point at it) and gets the demo profile, tier, roles and invite code.
 */
function upsertMember(row) {
  const cols = Object.keys(row);
  const values = cols.map((c) => (c === "referrer_id" && row[c] !== null ? row[c] : lit(row[c])));
  const updates = cols.filter((c) => c !== "id" && c !== "openid").map((c) => `${c} = excluded.${c}`).join(", ");
  return `INSERT INTO members (${cols.join(", ")}) VALUES (${values.join(", ")}) ON CONFLICT (openid) DO UPDATE SET ${updates} ON CONFLICT (id) DO UPDATE SET openid = excluded.openid, ${updates}`;
}

/** The seed as SQL statements (no trailing semicolons). */
export function seedStatements() {
  const out = [];
  const openidOf = new Map(demoMembers.map((m) => [m.id, m.openid]));
  demoMembers.forEach((m, i) => {
    out.push(upsertMember({
      id: m.id, openid: m.openid, unionid: null, nickname: m.nickname, avatar_url: "", phone: null, tier: m.tier,
      roles: JSON.stringify(m.roles), referrer_id: m.referrerId ? memberIdOf(openidOf.get(m.referrerId)) : null,
      bound_at: m.referrerId ? T0 + (i + 1) * DAY : null, invite_code: m.inviteCode, created_at: T0 + i * DAY,
    }));
    if (m.referrerId) {
      out.push(
        `INSERT INTO referral_bindings (id, member_id, referrer_id, source, created_at) VALUES (${lit(`seed-binding-${m.openid}`)}, ${memberIdOf(m.openid)}, ${memberIdOf(openidOf.get(m.referrerId))}, 'seed', ${T0 + (i + 1) * DAY}) ` +
          "ON CONFLICT (id) DO UPDATE SET member_id = excluded.member_id, referrer_id = excluded.referrer_id, source = excluded.source, created_at = excluded.created_at",
      );
    }
  });
  // Demo earnings, so the partners can try 提现 before commissions are earned for real: one posted transfer each
  // from commission_expense, inserted only while its id is absent (the journal is append-only).
  for (const [openid, fen] of Object.entries(demoEarningsFen)) {
    const account = `'commission_available:' || ${memberIdOf(openid)}`;
    out.push(
      "INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES ('commission_expense', 'commission_expense', NULL, 0, " + T0 + ")",
      `INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) SELECT ${account}, 'commission_available', ${memberIdOf(openid)}, 1, ${T0}`,
      `INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, code, reference, pending_id, flags, timeout_at, created_at)
       SELECT ${lit(`seed-earnings:${openid}`)}, 'commission_expense', ${account}, ${fen}, 'commission_available', ${lit(`seed:${openid}`)}, NULL, 0, NULL, ${T0}
       WHERE NOT EXISTS (SELECT 1 FROM transfers WHERE id = ${lit(`seed-earnings:${openid}`)})`,
    );
  }
  for (const [key, value] of Object.entries(demoSettings)) out.push(upsert("settings", { key, value: JSON.stringify(value), updated_at: T0 }, "key"));
  demoCourses.forEach((c, ci) => {
    out.push(upsert("courses", {
      id: c.id, title: c.title, subtitle: c.subtitle, cover_url: "", instructor: c.instructor, description: c.description,
      price_fen: c.priceFen, status: c.status, sort_order: ci, created_at: T0 + ci * DAY, updated_at: T0 + ci * DAY,
      published_at: c.status === "published" ? T0 + ci * DAY : null,
    }));
    c.chapters.forEach((ch, hi) => {
      const chapterId = `${c.id}-ch${hi + 1}`;
      out.push(upsert("chapters", { id: chapterId, course_id: c.id, title: ch.title, sort_order: hi }));
      ch.lessons.forEach((l, li) => {
        const lessonId = `${chapterId}-l${li + 1}`;
        const ext = l.kind === "video" ? "mp4" : l.kind === "audio" ? "m4a" : "md";
        out.push(upsert("lessons", {
          id: lessonId, course_id: c.id, chapter_id: chapterId, title: l.title, kind: l.kind, media_key: `demo/${lessonId}.${ext}`,
          duration_sec: l.durationSec ?? 0, is_trial: Boolean(l.trial), sort_order: li,
        }));
      });
    });
  });
  out.push(...roundStatements());
  return out;
}
