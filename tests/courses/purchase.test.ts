import { describe, expect, it } from "vitest";
import { deliver, paidOrder, sandbox } from "../orders/support";
import { call, mintMember } from "../support/api";
import { adminToken, seedCourse, storeMedia } from "./support";

/** The whole path a learner takes: buy through WeChat Pay (the sandbox), learn, get refunded. */
describe("buying a course opens its lessons; a full refund closes them", () => {
  it("serves paid lessons after payment and stops after the refund", async () => {
    const { courseId, lessonIds } = await seedCourse({ priceFen: 6600, lessons: [{ isTrial: true }, {}] });
    await storeMedia(lessonIds[1], "paid-lesson-bytes");
    const buyer = await mintMember();
    const paidLesson = () => call(`/api/lessons/${lessonIds[1]}/media`, { token: buyer.token });
    expect((await paidLesson()).status).toBe(403);

    const { orderId } = await paidOrder(buyer.token, courseId);
    const link = await paidLesson();
    expect(link.status).toBe(200);
    const streamed = await call(((await link.json()) as { url: string }).url);
    expect(new TextDecoder().decode(await streamed.arrayBuffer())).toBe("paid-lesson-bytes");
    const detail = (await (await call(`/api/courses/${courseId}`, { token: buyer.token })).json()) as { entitled: boolean; access: string };
    expect(detail).toMatchObject({ entitled: true, access: "order" });
    const mine = (await (await call("/api/me/courses", { token: buyer.token })).json()) as { items: { course: { id: string } }[] };
    expect(mine.items.map((i) => i.course.id)).toContain(courseId);

    const refund = await call(`/api/admin/orders/${orderId}/refund`, { token: await adminToken(), method: "POST", json: { reason: "不想学了" } });
    expect(refund.status).toBe(202);
    const { refund: asked } = (await refund.json()) as { refund: { id: string } };
    expect((await deliver(await sandbox(`/sandbox/refund/${asked.id}`, { status: "SUCCESS", deliver: false }))).status).toBe(204);

    expect((await paidLesson()).status).toBe(403);
    expect((await call(`/api/lessons/${lessonIds[1]}/progress`, { token: buyer.token, json: { positionSec: 1 } })).status).toBe(403);
    // The trial lesson stays open to everyone.
    expect((await call(`/api/lessons/${lessonIds[0]}/progress`, { token: buyer.token, json: { positionSec: 1 } })).status).toBe(200);
  });
});
