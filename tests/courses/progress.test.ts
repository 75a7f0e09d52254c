import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { grant, seedCourse } from "./support";
import { call, mintMember } from "../support/api";

const progress = (lessonId: string, token: string, json: unknown) => call(`/api/lessons/${lessonId}/progress`, { token, json });
const storedProgress = (memberId: string) =>
  env.DB.prepare("select lesson_id, position_sec, completed from lesson_progress where member_id = ? order by lesson_id").bind(memberId).all();

describe("learning progress", () => {
  it("records the position of an entitled member and completes a lesson near its end", async () => {
    const { courseId, lessonIds } = await seedCourse({ lessons: [{ durationSec: 600 }] });
    const buyer = await mintMember();
    await grant(buyer.id, courseId);

    const halfway = await progress(lessonIds[0], buyer.token, { positionSec: 300 });
    expect(halfway.status).toBe(200);
    expect(await halfway.json()).toMatchObject({ lessonId: lessonIds[0], courseId, positionSec: 300, completed: false });

    const nearEnd = await progress(lessonIds[0], buyer.token, { positionSec: 575 });
    expect(await nearEnd.json()).toMatchObject({ positionSec: 575, completed: true });
  });

  it("keeps a lesson completed when it is watched again from the start", async () => {
    const { courseId, lessonIds } = await seedCourse({ lessons: [{ durationSec: 100 }] });
    const buyer = await mintMember();
    await grant(buyer.id, courseId);
    await progress(lessonIds[0], buyer.token, { positionSec: 100 });
    const rewatch = await progress(lessonIds[0], buyer.token, { positionSec: 5 });
    expect(await rewatch.json()).toMatchObject({ positionSec: 5, completed: true });
  });

  it("clamps a position past the end to the lesson's length", async () => {
    const { lessonIds } = await seedCourse({ lessons: [{ durationSec: 100, isTrial: true }] });
    const member = await mintMember();
    expect(await (await progress(lessonIds[0], member.token, { positionSec: 130 })).json()).toMatchObject({ positionSec: 100, completed: true });
  });

  it("completes an article (no duration) once it is opened", async () => {
    const { lessonIds } = await seedCourse({ lessons: [{ kind: "article", durationSec: 0, isTrial: true }] });
    const member = await mintMember();
    expect(await (await progress(lessonIds[0], member.token, { positionSec: 0 })).json()).toMatchObject({ completed: true });
  });

  it("records trial lessons for anyone, and refuses paid lessons to others (403, nothing stored)", async () => {
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }, {}] });
    const member = await mintMember();
    expect((await progress(lessonIds[0], member.token, { positionSec: 10 })).status).toBe(200);
    expect((await progress(lessonIds[1], member.token, { positionSec: 10 })).status).toBe(403);
    expect((await storedProgress(member.id)).results).toEqual([{ lesson_id: lessonIds[0], position_sec: 10, completed: 0 }]);
  });

  it("refuses invalid input with 422 and stores nothing", async () => {
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }] });
    const member = await mintMember();
    for (const json of [{}, { positionSec: -1 }, { positionSec: 1.5 }, { positionSec: "10" }, { positionSec: 10, extra: true }, { positionSec: 10 ** 9 }]) {
      expect((await progress(lessonIds[0], member.token, json)).status, JSON.stringify(json)).toBe(422);
    }
    expect((await storedProgress(member.id)).results).toEqual([]);
  });

  it("answers 404 for lessons of unpublished courses and 401 without a token", async () => {
    const { lessonIds } = await seedCourse({ status: "draft", lessons: [{ isTrial: true }] });
    const member = await mintMember();
    expect((await progress(lessonIds[0], member.token, { positionSec: 1 })).status).toBe(404);
    expect((await call(`/api/lessons/${lessonIds[0]}/progress`, { json: { positionSec: 1 } })).status).toBe(401);
  });

  it("shows progress per lesson on the course page", async () => {
    const { courseId, lessonIds } = await seedCourse({ lessons: [{ isTrial: true, durationSec: 100 }, {}] });
    const member = await mintMember();
    await progress(lessonIds[0], member.token, { positionSec: 40 });
    const detail = (await (await call(`/api/courses/${courseId}`, { token: member.token })).json()) as { chapters: { lessons: { progress: unknown }[] }[] };
    expect(detail.chapters[0].lessons.map((l) => l.progress)).toEqual([{ positionSec: 40, completed: false }, null]);
  });
});
