import { describe, expect, it } from "vitest";
import { grant, seedCourse, setAllAccessTiers } from "./support";
import { call, mintMember } from "../support/api";

type MyPage = {
  items: { course: { id: string }; access: string; progress: { completedLessons: number; lastLessonId: string | null; lastLearnedAt: string | null } }[];
  nextCursor: string | null;
};
const mine = async (token: string, query = "") => (await (await call(`/api/me/courses${query}`, { token })).json()) as MyPage;

describe("我的课程 (my courses)", () => {
  it("lists the courses a member bought, with progress, and not refunded or unpublished ones", async () => {
    const bought = await seedCourse({ sortOrder: 1, lessons: [{ durationSec: 100 }, { durationSec: 100 }] });
    const refunded = await seedCourse({ sortOrder: 2 });
    const hidden = await seedCourse({ sortOrder: 3, status: "draft" });
    await seedCourse({ sortOrder: 4 });
    const member = await mintMember();
    await grant(member.id, bought.courseId);
    await grant(member.id, refunded.courseId, true);
    await grant(member.id, hidden.courseId);

    await call(`/api/lessons/${bought.lessonIds[0]}/progress`, { token: member.token, json: { positionSec: 100 } });
    await call(`/api/lessons/${bought.lessonIds[1]}/progress`, { token: member.token, json: { positionSec: 30 } });

    const page = await mine(member.token);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      course: { id: bought.courseId, lessonCount: 2 },
      access: "order",
      progress: { completedLessons: 1, lastLessonId: bought.lessonIds[1], lastLearnedAt: expect.any(String) },
    });
    expect(page.nextCursor).toBeNull();
  });

  it("lists free courses once started, and is empty for a newcomer", async () => {
    const free = await seedCourse({ priceFen: 0, lessons: [{}] });
    await seedCourse({ priceFen: 0 });
    const member = await mintMember();
    expect((await mine(member.token)).items).toEqual([]);
    await call(`/api/lessons/${free.lessonIds[0]}/progress`, { token: member.token, json: { positionSec: 1 } });
    const page = await mine(member.token);
    expect(page.items.map((i) => [i.course.id, i.access])).toEqual([[free.courseId, "free"]]);
  });

  it("lists every published course for an all-access tier, a page at a time", async () => {
    await setAllAccessTiers(["shareholder"]);
    const courses = [await seedCourse({ sortOrder: 1 }), await seedCourse({ sortOrder: 2 }), await seedCourse({ sortOrder: 3 })];
    const shareholder = await mintMember({ tier: "shareholder" });
    // Other tests in this file add courses too (storage is per file), so walk every page.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: MyPage = await mine(shareholder.token, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.every((i) => i.access === "tier")).toBe(true);
      seen.push(...page.items.map((i) => i.course.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(courses.map((c) => c.courseId)));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("requires a token", async () => {
    expect((await call("/api/me/courses")).status).toBe(401);
  });
});
