import { describe, expect, it } from "vitest";
import { inviteCodeFromScene, referralFromQuery } from "../../../mini-program/miniprogram/lib/referral";
import { decodeQueryValue } from "../../../mini-program/miniprogram/lib/query";

describe("the referral a launch carries", () => {
  it("reads the invite code of a share link", () => {
    expect(referralFromQuery({ inviteCode: "K7P3QW9M" })).toEqual({ inviteCode: "K7P3QW9M", source: "share" });
    expect(referralFromQuery({ inviteCode: " k7p3qw9m " })).toEqual({ inviteCode: "K7P3QW9M", source: "share" });
  });

  it("decodes the scene of a scanned mini-program code", () => {
    // WeChat hands the scene over URL-encoded: i=K7P3QW9M arrives as i%3DK7P3QW9M.
    expect(referralFromQuery({ scene: "i%3DK7P3QW9M" })).toEqual({ inviteCode: "K7P3QW9M", source: "scene" });
    expect(inviteCodeFromScene("i=K7P3QW9M")).toBe("K7P3QW9M");
    expect(inviteCodeFromScene("i%253DK7P3QW9M")).toBe("K7P3QW9M");
    expect(inviteCodeFromScene("c%3Dcourse1%26i%3Dk7p3qw9m")).toBe("K7P3QW9M");
  });

  it("prefers the share link when both are present", () => {
    expect(referralFromQuery({ inviteCode: "AAAA2222", scene: "i%3DBBBB3333" })?.inviteCode).toBe("AAAA2222");
  });

  it("ignores queries without a usable code", () => {
    expect(referralFromQuery(undefined)).toBeNull();
    expect(referralFromQuery({})).toBeNull();
    expect(referralFromQuery({ id: "course-1" })).toBeNull();
    expect(referralFromQuery({ scene: "c%3Dcourse1" })).toBeNull();
    expect(referralFromQuery({ scene: "%E0%A4%A" })).toBeNull();
    expect(referralFromQuery({ scene: "i%3D%3Cscript%3E" })).toBeNull();
    expect(referralFromQuery({ inviteCode: "x" })).toBeNull();
  });
});

describe("page query values", () => {
  it("are decoded once, and kept as they are when malformed", () => {
    expect(decodeQueryValue("crs_1")).toBe("crs_1");
    expect(decodeQueryValue("c%201")).toBe("c 1");
    expect(decodeQueryValue("%E0%A4%A")).toBe("%E0%A4%A");
    expect(decodeQueryValue(undefined)).toBe("");
  });
});
