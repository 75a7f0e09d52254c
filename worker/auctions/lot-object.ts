import { DurableObject } from "cloudflare:workers";
import { createLogger } from "../http/log";
import { hammer, judgeBid, nextMinFen, type Refusal, type Standing } from "./bidding";
import { bidderStanding, endingStatements, flushStatements, readLotConfig, type LotConfig, type StoredBid } from "./records";

/** What every watcher sees: no member id, only the leader's paddle number (号牌) in this lot. */
export type LiveView = {
  lotId: string;
  state: "upcoming" | "live" | "ended";
  currentPriceFen: number | null;
  nextMinFen: number;
  bidCount: number;
  leader: { paddle: number; label: string } | null;
  startsAt: string;
  endsAt: string;
  extensions: number;
  result: { sold: boolean; priceFen: number | null } | null;
};

export type BidRequest = { lotId: string; memberId: string; amountFen: number; maxFen?: number | null; idempotencyKey?: string };
export type BidAnswer =
  | { status: 200; accepted: true; currentPriceFen: number; leading: boolean; endsAt: string; nextMinFen: number; paddle: number | null }
  | { status: 404 }
  /** The token's member no longer exists (401) or an admin blocked them (403). */
  | { status: 401 }
  | { status: 403 }
  | {
      status: 409;
      code: Refusal | "outbid" | "deposit-required" | "idempotency-key-reused";
      accepted: false;
      currentPriceFen: number | null;
      leading: boolean;
      endsAt: string;
      nextMinFen: number;
      /** The caller's paddle number in this lot (null before their first bid): watchers see leaders only by paddle. */
      paddle: number | null;
    };

type Meta = { status: "open" | "ended"; flushedSeq: number; result: { sold: boolean; priceFen: number | null } | null };

const FLUSH_BATCH = 100;
/**
 * How long a bidder's eligibility (exists, not blocked, holds the deposit) is trusted before it is read from D1 again:
 * bids do not wait on D1, yet a block takes effect on this lot within a minute.
 */
const ELIGIBILITY_TTL_MS = 60_000;
/**
 * Accepted bids wait this long before a flush starts, so a busy lot writes them to D1 in batches rather than one batch
 * per bid: with many hot lots, D1's write rate (not the objects) would otherwise bound the bids judged per second.
 */
const FLUSH_DELAY_MS = 250;
const RETRY_MS = 2_000;

/**
 * One lot's auction: the single source of truth for its bids. Durable Objects run one event at a time and every
 * bid below is judged and stored synchronously (SQLite-backed storage, no await between reading the standing and
 * writing it), so bids are judged strictly in arrival order and each exactly once. D1 is written afterwards
 * (history and the list's mirror, in batches with idempotent ids), and by the alarm that ends the lot.
 */
export class LotAuction extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private config: LotConfig | null = null;
  private flushing: Promise<void> | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly log = createLogger({ component: "lot-auction" });

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS bids (seq INTEGER PRIMARY KEY, member_id TEXT NOT NULL, amount_fen INTEGER NOT NULL, kind TEXT NOT NULL, placed_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS bidders (member_id TEXT PRIMARY KEY, paddle INTEGER NOT NULL UNIQUE, eligible_at INTEGER);
      CREATE TABLE IF NOT EXISTS bid_requests (member_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, answer TEXT NOT NULL, PRIMARY KEY (member_id, key));
    `);
    this.config = this.read<LotConfig>("config");
  }

  // ── RPC ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Loads the lot from D1 on first use and makes sure its end is scheduled (also how the sweep job wakes a lot whose
   * alarm was lost). Null when D1 has no such lot.
   */
  async open(lotId: string): Promise<LiveView | null> {
    if (!(await this.ensureConfig(lotId))) return null;
    if (this.meta().status === "open" && (await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Math.max(Date.now(), this.standing().closesAtMs));
    }
    return this.view();
  }

  async snapshot(lotId: string, memberId?: string): Promise<(LiveView & { leading: boolean; myPaddle: number | null }) | null> {
    if (!(await this.ensureConfig(lotId))) return null;
    return { ...this.view(), leading: memberId !== undefined && this.standing().leader?.memberId === memberId, myPaddle: memberId === undefined ? null : this.knownPaddle(memberId) };
  }

  async placeBid(req: BidRequest): Promise<BidAnswer> {
    const config = await this.ensureConfig(req.lotId);
    if (!config) return { status: 404 };
    const fingerprint = JSON.stringify([req.amountFen, req.maxFen ?? null]);
    const replay = req.idempotencyKey ? this.storedAnswer(req.memberId, req.idempotencyKey, fingerprint) : undefined;
    if (replay) return replay;

    // The only await before judging: whether this bidder may bid (asked of D1, then trusted for a minute).
    const eligibility = await this.eligibility(config, req.memberId);
    if (eligibility === 401) return { status: 401 };
    if (eligibility === 403) return { status: 403 };
    if (eligibility === "deposit-required") return this.remember(req, fingerprint, this.refusal("deposit-required", req.memberId));
    // From here to the end nothing awaits: the standing read is the one written, whatever else is queued.
    const again = req.idempotencyKey ? this.storedAnswer(req.memberId, req.idempotencyKey, fingerprint) : undefined;
    if (again) return again;
    const meta = this.meta();
    const now = Date.now();
    const outcome =
      meta.status === "ended"
        ? ({ ok: false, reason: "lot-closed" } as const)
        : judgeBid(config, this.standing(), { memberId: req.memberId, amountFen: req.amountFen, maxFen: req.maxFen, atMs: now });
    if (!outcome.ok) return this.remember(req, fingerprint, this.refusal(outcome.reason, req.memberId));

    for (const bid of outcome.placed) {
      this.sql.exec("INSERT INTO bids (seq, member_id, amount_fen, kind, placed_at) VALUES (?, ?, ?, ?, ?)", bid.seq, bid.memberId, bid.amountFen, bid.kind, now);
      this.paddleOf(bid.memberId);
    }
    this.write("standing", outcome.standing);
    if (outcome.extended) void this.ctx.storage.setAlarm(outcome.standing.closesAtMs);
    const answer: BidAnswer = outcome.leading
      ? {
          status: 200,
          accepted: true,
          currentPriceFen: outcome.standing.priceFen!,
          leading: true,
          endsAt: new Date(outcome.standing.closesAtMs).toISOString(),
          nextMinFen: nextMinFen(config, outcome.standing),
          paddle: this.knownPaddle(req.memberId),
        }
      : this.refusal("outbid", req.memberId);
    this.remember(req, fingerprint, answer);
    if (outcome.placed.length > 0) {
      this.broadcast();
      this.scheduleFlush();
    }
    return answer;
  }

  /** Writes every bid not yet in D1 (and the mirror) now; resolves when D1 holds them all. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.startFlush();
    while (this.flushing) await this.flushing;
  }

  /** The bid history as the object holds it (for the console and the tests comparing it with D1's). */
  async history(): Promise<StoredBid[]> {
    return this.sql
      .exec<{ seq: number; member_id: string; amount_fen: number; kind: "bid" | "proxy"; placed_at: number }>("SELECT * FROM bids ORDER BY seq")
      .toArray()
      .map((r) => ({ seq: r.seq, memberId: r.member_id, amountFen: r.amount_fen, kind: r.kind, placedAtMs: r.placed_at }));
  }

  // ── WebSocket watchers (hibernation API: the object may sleep between bids; sockets stay open) ──────────

  async fetch(request: Request): Promise<Response> {
    const lotId = new URL(request.url).searchParams.get("lot") ?? "";
    if (!(await this.ensureConfig(lotId))) return new Response(null, { status: 404 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].send(JSON.stringify({ type: "lot", ...this.view() }));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    if (message === "ping") ws.send("pong");
  }

  async webSocketClose(ws: WebSocket, code: number) {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
  }

  // ── The end ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Alarms can fire twice, and after an extension they fire early: both are no-ops. The result goes to D1 in
   * one batch whose status update applies only to an open lot; the object marks itself ended after that batch,
   * so a failure is retried by the next alarm with the same, idempotent statements.
   */
  async alarm(): Promise<void> {
    const config = this.config;
    if (!config) return;
    try {
      await this.flush();
      const standing = this.standing();
      if (this.meta().flushedSeq < standing.bidCount) throw new Error("bid history not yet in D1");
      if (this.meta().status === "ended") return;
      const now = Date.now();
      if (now < standing.closesAtMs) {
        await this.ctx.storage.setAlarm(standing.closesAtMs);
        return;
      }
      const result = hammer(config, standing);
      await this.env.DB.batch(endingStatements(this.env.DB, config, standing, result, now));
      this.write<Meta>("meta", { ...this.meta(), status: "ended", result: result.sold ? { sold: true, priceFen: result.priceFen } : { sold: false, priceFen: null } });
      this.broadcast();
    } catch (error) {
      this.log.error("lot alarm failed; retrying", { lotId: config.lotId, error: String(error) });
      await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
    }
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────────

  private async ensureConfig(lotId: string): Promise<LotConfig | null> {
    if (this.config) return this.config.lotId === lotId ? this.config : null;
    const config = await readLotConfig(this.env.DB, lotId);
    if (!config) return null;
    if (this.config) return this.config; // another request loaded it while this one awaited
    this.config = config;
    this.write("config", config);
    this.write<Standing>("standing", { priceFen: null, leader: null, closesAtMs: config.endsAtMs, extensions: 0, bidCount: 0 });
    this.write<Meta>("meta", { status: "open", flushedSeq: 0, result: null });
    await this.ctx.storage.setAlarm(config.endsAtMs);
    return config;
  }

  private async eligibility(config: LotConfig, memberId: string): Promise<"ok" | "deposit-required" | 401 | 403> {
    const known = this.sql.exec<{ eligible_at: number | null }>("SELECT eligible_at FROM bidders WHERE member_id = ?", memberId).toArray()[0];
    if (known?.eligible_at && known.eligible_at > Date.now() - ELIGIBILITY_TTL_MS) return "ok";
    const standing = await bidderStanding(this.env.DB, config.lotId, memberId);
    if (!standing.exists) return 401;
    if (standing.blocked) return 403;
    if (config.depositFen > 0 && !standing.holdsDeposit) return "deposit-required";
    this.paddleOf(memberId);
    this.sql.exec("UPDATE bidders SET eligible_at = ? WHERE member_id = ?", Date.now(), memberId);
    return "ok";
  }

  /** The member's paddle number, without assigning one. */
  private knownPaddle(memberId: string): number | null {
    return this.sql.exec<{ paddle: number }>("SELECT paddle FROM bidders WHERE member_id = ?", memberId).toArray()[0]?.paddle ?? null;
  }

  /** A bidder's paddle number in this lot: 1, 2, 3 … in the order they first bid. */
  private paddleOf(memberId: string): number {
    const row = this.sql.exec<{ paddle: number }>("SELECT paddle FROM bidders WHERE member_id = ?", memberId).toArray()[0];
    if (row) return row.paddle;
    return this.sql
      .exec<{ paddle: number }>("INSERT INTO bidders (member_id, paddle) VALUES (?, (SELECT COALESCE(MAX(paddle), 0) + 1 FROM bidders)) RETURNING paddle", memberId)
      .one().paddle;
  }

  private storedAnswer(memberId: string, key: string, fingerprint: string): BidAnswer | undefined {
    const row = this.sql.exec<{ fingerprint: string; answer: string }>("SELECT fingerprint, answer FROM bid_requests WHERE member_id = ? AND key = ?", memberId, key).toArray()[0];
    if (!row) return undefined;
    if (row.fingerprint !== fingerprint) return { ...this.refusal("idempotency-key-reused", memberId) };
    return JSON.parse(row.answer) as BidAnswer;
  }

  private remember(req: BidRequest, fingerprint: string, answer: BidAnswer): BidAnswer {
    if (req.idempotencyKey) {
      this.sql.exec("INSERT OR IGNORE INTO bid_requests (member_id, key, fingerprint, answer) VALUES (?, ?, ?, ?)", req.memberId, req.idempotencyKey, fingerprint, JSON.stringify(answer));
    }
    return answer;
  }

  private refusal(code: Extract<BidAnswer, { status: 409 }>["code"], memberId: string): BidAnswer {
    const standing = this.standing();
    return {
      status: 409,
      code,
      accepted: false,
      currentPriceFen: standing.priceFen,
      leading: standing.leader?.memberId === memberId,
      paddle: this.knownPaddle(memberId),
      endsAt: new Date(standing.closesAtMs).toISOString(),
      nextMinFen: nextMinFen(this.config!, standing),
    };
  }

  private view(): LiveView {
    const config = this.config!;
    const standing = this.standing();
    const meta = this.meta();
    const now = Date.now();
    const paddle = standing.leader ? this.paddleOf(standing.leader.memberId) : null;
    return {
      lotId: config.lotId,
      state: meta.status === "ended" || now >= standing.closesAtMs ? "ended" : now < config.startsAtMs ? "upcoming" : "live",
      currentPriceFen: standing.priceFen,
      nextMinFen: nextMinFen(config, standing),
      bidCount: standing.bidCount,
      leader: paddle === null ? null : { paddle, label: `${paddle}号竞拍者` },
      startsAt: new Date(config.startsAtMs).toISOString(),
      endsAt: new Date(standing.closesAtMs).toISOString(),
      extensions: standing.extensions,
      result: meta.result,
    };
  }

  private broadcast() {
    const sockets = this.ctx.getWebSockets();
    if (sockets.length === 0) return;
    const message = JSON.stringify({ type: "lot", ...this.view() });
    for (const ws of sockets) {
      try {
        ws.send(message);
      } catch {
        // a socket closing under us; its close handler tidies up
      }
    }
  }

  /** A flush soon (coalescing the bids of the next FLUSH_DELAY_MS), unless one is already due or running. */
  private scheduleFlush() {
    if (this.flushing || this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.startFlush(), FLUSH_DELAY_MS);
  }

  private startFlush() {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.flushing) return;
    this.flushing = this.flushPending()
      .catch(async (error) => {
        this.log.warn("bid flush to D1 failed; the alarm retries", { lotId: this.config?.lotId, error: String(error) });
        await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
      })
      .finally(() => {
        // Bids accepted while it ran were picked up by its loop (it stops only when a read finds none left).
        this.flushing = null;
      });
    this.ctx.waitUntil(this.flushing);
  }

  private async flushPending() {
    const config = this.config;
    if (!config) return;
    for (;;) {
      const { flushedSeq } = this.meta();
      const rows = this.sql
        .exec<{ seq: number; member_id: string; amount_fen: number; kind: "bid" | "proxy"; placed_at: number }>("SELECT * FROM bids WHERE seq > ? ORDER BY seq LIMIT ?", flushedSeq, FLUSH_BATCH)
        .toArray();
      if (rows.length === 0) return;
      const bids = rows.map((r) => ({ seq: r.seq, memberId: r.member_id, amountFen: r.amount_fen, kind: r.kind, placedAtMs: r.placed_at }));
      await this.env.DB.batch(flushStatements(this.env.DB, config.lotId, bids, this.standing(), Date.now()));
      this.write<Meta>("meta", { ...this.meta(), flushedSeq: bids[bids.length - 1].seq });
    }
  }

  private standing(): Standing {
    return this.read<Standing>("standing")!;
  }

  private meta(): Meta {
    return this.read<Meta>("meta")!;
  }

  private read<T>(key: string): T | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private write<T>(key: string, value: T) {
    this.sql.exec("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, JSON.stringify(value));
  }
}
