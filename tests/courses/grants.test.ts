import { describe, expect, it } from "vitest";
import { adminToken, grant, seedCourse } from "./support";
import { call, mintMember } from "../support/api";

const entitled = async (courseId: string, token: string) =>
  ((await (await call(`/api/courses/${courseId}`, { token })).json()) as { entitled: boolean }).entitled;

describe("admin course grants (赠送课程)", () => {
  it("gives a member a course and takes it back", async () => {
    const token = await adminToken();
    const { courseId } = await seedCourse();
    const member = await mintMember();
    const res = await call(`/api/admin/courses/${courseId}/grants`, { token, json: { memberId: member.id } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ memberId: member.id, courseId, source: "admin", orderId: null });
    expect(await entitled(courseId, member.token)).toBe(true);

    expect((await call(`/api/admin/courses/${courseId}/grants/${member.id}`, { method: "DELETE", token })).status).toBe(204);
    expect(await entitled(courseId, member.token)).toBe(false);
    expect((await call(`/api/admin/courses/${courseId}/grants/${member.id}`, { method: "DELETE", token })).status).toBe(404);
  });

  it("leaves a bought course as bought, and will not revoke it (409: refund the order instead)", async () => {
    const token = await adminToken();
    const { courseId } = await seedCourse();
    const buyer = await mintMember();
    await grant(buyer.id, courseId);
    const res = await call(`/api/admin/courses/${courseId}/grants`, { token, json: { memberId: buyer.id } });
    expect(await res.json()).toMatchObject({ source: "order", orderId: expect.any(String) });
    const revoke = await call(`/api/admin/courses/${courseId}/grants/${buyer.id}`, { method: "DELETE", token });
    expect(revoke.status).toBe(409);
    expect(await entitled(courseId, buyer.token)).toBe(true);
  });

  it("refuses unknown members (422) and courses (404), and members' tokens (403)", async () => {
    const token = await adminToken();
    const { courseId } = await seedCourse();
    const member = await mintMember();
    expect((await call(`/api/admin/courses/${courseId}/grants`, { token, json: { memberId: "mem_nobody" } })).status).toBe(422);
    expect((await call(`/api/admin/courses/crs_nope/grants`, { token, json: { memberId: member.id } })).status).toBe(404);
    expect((await call(`/api/admin/courses/${courseId}/grants`, { token: member.token, json: { memberId: member.id } })).status).toBe(403);
    expect(await entitled(courseId, member.token)).toBe(false);
  });
});
