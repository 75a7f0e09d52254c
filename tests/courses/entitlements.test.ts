import { describe, expect, it } from "vitest";
import { courseAccess, grantCourseForOrder, isEntitled, revokeCourseForOrder } from "../../worker/courses/access";
import { db, seedCourse, setAllAccessTiers } from "./support";
import { mintMember } from "../support/api";

/** The service other modules call (orders: fulfilment and refunds; anyone: "may this member learn it?"). */
describe("isEntitled and the order grant helpers", () => {
  it("grants a course with the paid order and revokes it with that order's full refund", async () => {
    const { courseId } = await seedCourse();
    const { id } = await mintMember();
    expect(await isEntitled(db, id, "member", courseId)).toBe(false);

    await db.batch([grantCourseForOrder(db, { memberId: id, courseId, orderId: "ord-1", now: new Date() })]);
    expect(await courseAccess(db, id, "member", courseId)).toBe("order");

    // A refund of some other order leaves the grant alone.
    await db.batch([revokeCourseForOrder(db, { memberId: id, courseId, orderId: "ord-other", now: new Date() })]);
    expect(await isEntitled(db, id, "member", courseId)).toBe(true);

    await db.batch([revokeCourseForOrder(db, { memberId: id, courseId, orderId: "ord-1", now: new Date() })]);
    expect(await isEntitled(db, id, "member", courseId)).toBe(false);
  });

  it("grants again when the member buys the course after a refund", async () => {
    const { courseId } = await seedCourse();
    const { id } = await mintMember();
    await db.batch([grantCourseForOrder(db, { memberId: id, courseId, orderId: "ord-a", now: new Date() })]);
    await db.batch([revokeCourseForOrder(db, { memberId: id, courseId, orderId: "ord-a", now: new Date() })]);
    await db.batch([grantCourseForOrder(db, { memberId: id, courseId, orderId: "ord-b", now: new Date() })]);
    expect(await isEntitled(db, id, "member", courseId)).toBe(true);
    // Replaying the first refund's notification must not take the new purchase away.
    await db.batch([revokeCourseForOrder(db, { memberId: id, courseId, orderId: "ord-a", now: new Date() })]);
    expect(await isEntitled(db, id, "member", courseId)).toBe(true);
  });

  it("follows the all-access tiers setting and opens free courses", async () => {
    const paid = await seedCourse();
    const free = await seedCourse({ priceFen: 0 });
    const { id } = await mintMember();
    expect(await courseAccess(db, id, "shareholder", paid.courseId)).toBe("tier");
    expect(await courseAccess(db, id, "channel_partner", paid.courseId)).toBeNull();
    expect(await courseAccess(db, id, "member", free.courseId)).toBe("free");
    await setAllAccessTiers(["channel_partner"]);
    expect(await courseAccess(db, id, "channel_partner", paid.courseId)).toBe("tier");
    expect(await courseAccess(db, id, "shareholder", paid.courseId)).toBeNull();
  });

  it("is false for a course that does not exist", async () => {
    const { id } = await mintMember();
    expect(await isEntitled(db, id, "shareholder", "crs_nope")).toBe(false);
  });
});
