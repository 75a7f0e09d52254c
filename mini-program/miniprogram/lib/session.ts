import type { ResponseOf } from "./api-types";
import type { ApiClient, Credentials } from "./client";
import { RequestError } from "./problems";
import type { Referral } from "./referral";
import { backoffMs, isRetryableStatus, MAX_ATTEMPTS } from "./retry";

export type MemberProfile = ResponseOf<"/api/me">;
export type Invite = ResponseOf<"/api/me/invite">;
type LoginBody = { code: string; inviteCode?: string; scene?: string };

/** What the session needs from the platform (wx in the app, a stand-in in tests). */
export interface SessionPlatform {
  /** wx.login's one-time code. */
  login(): Promise<string>;
  load(key: string): string | null;
  save(key: string, value: string): void;
  remove(key: string): void;
}

const TOKEN_KEY = "session.token";

/**
 * The member's login: the JWT (kept in storage across launches), one login at a time, and the referral
 * captured from the launch, which is sent with the login or, when the member is already logged in,
 * bound afterwards through POST /api/me/referrer.
 */
export class Session implements Credentials {
  private current: string | null;
  private inflight: Promise<void> | null = null;
  private pendingReferral: Referral | null = null;
  private client: ApiClient | null = null;
  private invite: Invite | null = null;
  member: MemberProfile | null = null;

  constructor(
    private readonly platform: SessionPlatform,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.current = platform.load(TOKEN_KEY);
  }

  attach(client: ApiClient): void {
    this.client = client;
  }

  token(): string | null {
    return this.current;
  }

  loggedIn(): boolean {
    return this.current !== null;
  }

  async settled(): Promise<void> {
    if (this.inflight) await this.inflight.catch(() => undefined);
  }

  /** Logs in unless a token is already held. */
  async ensureLogin(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.current) return;
    return this.login();
  }

  /**
   * A token was refused: forget it and log in again, once for every request that met the same 401 (a
   * request answered after another one already renewed just retries with the new token).
   */
  async renew(refused: string | null): Promise<void> {
    if (this.inflight) return this.inflight;
    if (refused !== null && this.current !== null && this.current !== refused) return;
    this.forget();
    return this.login();
  }

  /** Keeps the referral of a share link or a scanned code until it can be bound. */
  async captureReferral(referral: Referral | null): Promise<void> {
    if (!referral) return;
    this.pendingReferral = referral;
    if (this.inflight) await this.settled();
    if (this.current && this.pendingReferral) await this.bindPendingReferral();
  }

  /** The invite to share (GET /api/me/invite), fetched once per session. */
  async loadInvite(): Promise<Invite> {
    if (this.invite) return this.invite;
    await this.ensureLogin();
    this.invite = await this.api().get("/api/me/invite");
    return this.invite;
  }

  /** The invite already fetched, for share handlers that must answer synchronously. */
  cachedInvite(): Invite | null {
    return this.invite;
  }

  private login(): Promise<void> {
    const run = async () => {
      const referral = this.pendingReferral;
      const result = await this.loginOnce(referral);
      if (referral === this.pendingReferral) this.pendingReferral = null;
      this.current = result.token;
      this.member = result.member;
      this.platform.save(TOKEN_KEY, result.token);
    };
    this.inflight = run().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /**
   * A wx.login code is single-use and the worker keeps no Idempotency-Key for login (its answer is a token),
   * so a login whose answer was lost (no answer, 5xx) is tried again with a fresh code. Login is idempotent
   * on the worker: the member is upserted by openid and a referral binds once.
   */
  private async loginOnce(referral: Referral | null) {
    for (let attempt = 1; ; attempt++) {
      const code = await this.platform.login().catch(() => {
        throw new RequestError("微信登录失败，请稍后重试", 0, "wx-login");
      });
      const body: LoginBody = { code };
      if (referral?.source === "scene") body.scene = `i=${referral.inviteCode}`;
      else if (referral) body.inviteCode = referral.inviteCode;
      try {
        return await this.api().post("/api/auth/wechat", { body, anonymous: true });
      } catch (e) {
        if (!(e instanceof RequestError) || !isRetryableStatus(e.status) || attempt >= MAX_ATTEMPTS) throw e;
        await this.sleep(backoffMs(attempt));
      }
    }
  }

  /** Binding is best effort: an invalid or already-bound invite must never get in the member's way. */
  private async bindPendingReferral(): Promise<void> {
    const referral = this.pendingReferral;
    if (!referral) return;
    this.pendingReferral = null;
    try {
      const result = await this.api().post("/api/me/referrer", { body: { inviteCode: referral.inviteCode }, idempotent: true });
      this.member = result.member;
    } catch {
      // 404 unknown code, 409 already bound or a cycle, 422 self: nothing for the member to do.
    }
  }

  private forget(): void {
    this.current = null;
    this.member = null;
    this.invite = null;
    this.platform.remove(TOKEN_KEY);
  }

  private api(): ApiClient {
    if (!this.client) throw new Error("Session.attach(client) was not called");
    return this.client;
  }
}
