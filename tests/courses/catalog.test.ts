import { describe, expect, it } from "vitest";
import { grant, seedCourse, setAllAccessTiers } from "./support";
import { call, mintMember } from "../support/api";

type Page = { items: { id: string; sortOrder: number; lessonCount: number; trialLessonCount: number }[]; nextCursor: string | null };

describe("the course catalog", () => {
  it("lists only published courses, in sortOrder, a page at a time", async () => {
    const c3 = await seedCourse({ sortOrder: 30 });
    const c1 = await seedCourse({ sortOrder: 10, lessons: [{ isTrial: true }, {}, {}] });
    const draft = await seedCourse({ sortOrder: 15, status: "draft" });
    const c2 = await seedCourse({ sortOrder: 20 });

    // Other tests in this file add courses too (storage is per file), so walk every page.
    const seen: Page["items"] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await (await call(`/api/courses?limit=2${cursor ? `&cursor=${cursor}` : ""}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(2);
    const orders = seen.map((c) => c.sortOrder);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    const ids = seen.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(draft.courseId);
    expect(ids.filter((id) => [c1.courseId, c2.courseId, c3.courseId].includes(id))).toEqual([c1.courseId, c2.courseId, c3.courseId]);
    expect(seen.find((c) => c.id === c1.courseId)).toMatchObject({ lessonCount: 3, trialLessonCount: 1, priceFen: 9900 });
  });

  it("refuses a forged cursor and an out-of-range limit with 422", async () => {
    for (const q of ["cursor=not-a-cursor", "limit=0", "limit=101", "limit=ten"]) {
      const res = await call(`/api/courses?${q}`);
      expect(res.status, q).toBe(422);
      expect(await res.json()).toMatchObject({ type: "/problems/validation-failed" });
    }
  });

  it("shows a published course with chapters, lessons and trial flags", async () => {
    const { courseId, lessonIds } = await seedCourse({ lessons: [{ isTrial: true, kind: "audio" }, { kind: "article", durationSec: 0 }] });
    const res = await call(`/api/courses/${courseId}`);
    expect(res.status).toBe(200);
    const course = (await res.json()) as { entitled: boolean; chapters: { lessons: { id: string; isTrial: boolean; kind: string }[] }[] };
    expect(course.entitled).toBe(false);
    expect(course.chapters[0].lessons).toMatchObject([
      { id: lessonIds[0], isTrial: true, kind: "audio", hasMedia: false, progress: null },
      { id: lessonIds[1], isTrial: false, kind: "article" },
    ]);
  });

  it("answers 404 for a draft course and for an unknown one", async () => {
    const { courseId } = await seedCourse({ status: "draft" });
    expect((await call(`/api/courses/${courseId}`)).status).toBe(404);
    expect((await call("/api/courses/crs_nope")).status).toBe(404);
  });

  it("tells a logged-in buyer the course is theirs, and not after a refund", async () => {
    const { courseId } = await seedCourse();
    const buyer = await mintMember();
    const refunded = await mintMember();
    const stranger = await mintMember();
    await grant(buyer.id, courseId);
    await grant(refunded.id, courseId, true);

    const detail = async (token: string) => (await (await call(`/api/courses/${courseId}`, { token })).json()) as { entitled: boolean; access: string | null };
    expect(await detail(buyer.token)).toMatchObject({ entitled: true, access: "order" });
    expect(await detail(refunded.token)).toMatchObject({ entitled: false, access: null });
    expect(await detail(stranger.token)).toMatchObject({ entitled: false, access: null });
  });

  it("opens every course to an all-access tier, shareholders by default", async () => {
    const { courseId } = await seedCourse();
    const shareholder = await mintMember({ tier: "shareholder" });
    const partner = await mintMember({ tier: "channel_partner" });
    const entitled = async (token: string) => ((await (await call(`/api/courses/${courseId}`, { token })).json()) as { entitled: boolean }).entitled;
    expect(await entitled(shareholder.token)).toBe(true);
    expect(await entitled(partner.token)).toBe(false);

    await setAllAccessTiers(["channel_partner", "shareholder"]);
    expect(await entitled(partner.token)).toBe(true);
  });

  it("treats a free course as open to every logged-in member", async () => {
    const { courseId } = await seedCourse({ priceFen: 0 });
    const member = await mintMember();
    const body = (await (await call(`/api/courses/${courseId}`, { token: member.token })).json()) as { entitled: boolean; access: string };
    expect(body).toMatchObject({ entitled: true, access: "free" });
  });

  it("rejects a bad token on an open route with 401 rather than ignoring it", async () => {
    const { courseId } = await seedCourse();
    expect((await call(`/api/courses/${courseId}`, { token: "not.a.jwt" })).status).toBe(401);
  });
});
