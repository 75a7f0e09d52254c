import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { signMediaLink } from "../../worker/courses/media-signing";
import { grant, seedCourse, setAllAccessTiers, storeMedia } from "./support";
import { call, mintMember } from "../support/api";

type Link = { url: string; expiresAt: string };

/** A published course: a trial lesson and a paid one, both with media in R2. */
async function courseWithMedia(o: { priceFen?: number; status?: "draft" | "published" } = {}) {
  const c = await seedCourse({ ...o, lessons: [{ isTrial: true }, { durationSec: 1200 }] });
  const keys = [await storeMedia(c.lessonIds[0], "trial-bytes"), await storeMedia(c.lessonIds[1], "paid-bytes")];
  return { ...c, keys };
}

const mediaOf = (lessonId: string, token?: string) => call(`/api/lessons/${lessonId}/media`, { token });

describe("who gets a media link", () => {
  it("requires a logged-in member", async () => {
    const { lessonIds } = await courseWithMedia();
    expect((await mediaOf(lessonIds[0])).status).toBe(401);
  });

  it("gives any member a trial lesson, but not a paid one (403)", async () => {
    const { lessonIds } = await courseWithMedia();
    const member = await mintMember();
    expect((await mediaOf(lessonIds[0], member.token)).status).toBe(200);
    const denied = await mediaOf(lessonIds[1], member.token);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ type: "/problems/forbidden" });
  });

  it("gives an entitled member every lesson, until the entitlement is revoked", async () => {
    const { courseId, lessonIds } = await courseWithMedia();
    const buyer = await mintMember();
    const refunded = await mintMember();
    await grant(buyer.id, courseId);
    await grant(refunded.id, courseId, true);
    const res = await mediaOf(lessonIds[1], buyer.token);
    expect(res.status).toBe(200);
    const streamed = await call(((await res.json()) as Link).url);
    expect(new TextDecoder().decode(await streamed.arrayBuffer())).toBe("paid-bytes");
    expect((await mediaOf(lessonIds[1], refunded.token)).status).toBe(403);
  });

  it("opens every lesson to an all-access tier, as configured", async () => {
    const { lessonIds } = await courseWithMedia();
    const shareholder = await mintMember({ tier: "shareholder" });
    const promoter = await mintMember({ tier: "promoter" });
    expect((await mediaOf(lessonIds[1], shareholder.token)).status).toBe(200);
    expect((await mediaOf(lessonIds[1], promoter.token)).status).toBe(403);

    await setAllAccessTiers(["promoter"]);
    expect((await mediaOf(lessonIds[1], promoter.token)).status).toBe(200);
    expect((await mediaOf(lessonIds[1], shareholder.token)).status).toBe(403);
  });

  it("falls back to the default when the setting is malformed", async () => {
    const { lessonIds } = await courseWithMedia();
    await setAllAccessTiers("everyone");
    expect((await mediaOf(lessonIds[1], (await mintMember()).token)).status).toBe(403);
    expect((await mediaOf(lessonIds[1], (await mintMember({ tier: "shareholder" })).token)).status).toBe(200);
  });

  it("hides unknown lessons and lessons of unpublished courses (404), even from their buyers", async () => {
    const { courseId, lessonIds } = await courseWithMedia({ status: "draft" });
    const buyer = await mintMember();
    await grant(buyer.id, courseId);
    expect((await mediaOf(lessonIds[0], buyer.token)).status).toBe(404);
    expect((await mediaOf("lsn_unknown", buyer.token)).status).toBe(404);
  });

  it("answers 404 for a lesson without media yet", async () => {
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }] });
    expect((await mediaOf(lessonIds[0], (await mintMember()).token)).status).toBe(404);
  });
});

describe("signed media links", () => {
  async function trialLink() {
    const c = await courseWithMedia();
    const link = (await (await mediaOf(c.lessonIds[0], (await mintMember()).token)).json()) as Link;
    return { ...c, link, url: new URL(link.url) };
  }

  it("expire shortly, a little after the lesson's own length", async () => {
    const { link } = await trialLink();
    const ttl = (Date.parse(link.expiresAt) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(14 * 60);
    expect(ttl).toBeLessThan(16 * 60 + 600);
  });

  it("refuse a tampered signature or expiry", async () => {
    const { url } = await trialLink();
    expect((await call(url.toString())).status).toBe(200);

    const sig = url.searchParams.get("sig")!;
    const flipped = new URL(url);
    flipped.searchParams.set("sig", (sig[0] === "A" ? "B" : "A") + sig.slice(1));
    expect((await call(flipped.toString())).status).toBe(403);

    const later = new URL(url);
    later.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 3600));
    expect((await call(later.toString())).status).toBe(403);

    for (const drop of ["sig", "exp"]) {
      const missing = new URL(url);
      missing.searchParams.delete(drop);
      const res = await call(missing.toString());
      expect(res.status, drop).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("cannot be reused for another lesson", async () => {
    const { url, lessonIds } = await trialLink();
    const other = new URL(url);
    other.pathname = `/media/${lessonIds[1]}`;
    expect((await call(other.toString())).status).toBe(403);
  });

  it("stop working after their expiry, even with a genuine signature", async () => {
    const { lessonIds, keys } = await courseWithMedia();
    const exp = Math.floor(Date.now() / 1000) - 1;
    const sig = await signMediaLink(env.MEDIA_SIGNING_KEY, lessonIds[0], keys[0], exp);
    expect((await call(`/media/${lessonIds[0]}?exp=${exp}&sig=${sig}`)).status).toBe(403);

    const fresh = exp + 120;
    const freshSig = await signMediaLink(env.MEDIA_SIGNING_KEY, lessonIds[0], keys[0], fresh);
    expect((await call(`/media/${lessonIds[0]}?exp=${fresh}&sig=${freshSig}`)).status).toBe(200);
  });

  it("are not forgeable with another key, such as the JWT secret", async () => {
    const { lessonIds, keys } = await courseWithMedia();
    const exp = Math.floor(Date.now() / 1000) + 600;
    const sig = await signMediaLink(env.JWT_SECRET, lessonIds[0], keys[0], exp);
    expect((await call(`/media/${lessonIds[0]}?exp=${exp}&sig=${sig}`)).status).toBe(403);
  });
});
