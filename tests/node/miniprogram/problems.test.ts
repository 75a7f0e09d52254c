import { describe, expect, it } from "vitest";
import { GENERIC_MESSAGE, RequestError, messageForProblem, messageOf } from "../../../mini-program/miniprogram/lib/problems";

const problem = (type: string, status = 400) => ({ type, title: "English title", status, detail: "English detail" });

describe("errors a member reads", () => {
  it("maps the worker's stable problem types to Chinese", () => {
    expect(messageForProblem(problem("/problems/validation-failed", 422))).toBe("输入有误，请检查后重试");
    expect(messageForProblem(problem("/problems/unauthorized", 401))).toBe("请先登录");
    expect(messageForProblem(problem("/problems/forbidden", 403))).toBe("没有权限进行此操作");
    expect(messageForProblem(problem("/problems/not-found", 404))).toBe("内容不存在或已下架");
    expect(messageForProblem(problem("/problems/referral-cycle", 409))).toBe("不能绑定自己邀请的人为推荐人");
    expect(messageForProblem(problem("/problems/wechat-busy", 503))).toBe("微信服务繁忙，请稍后重试");
    expect(messageForProblem(problem("/problems/already-entitled", 409))).toBe("你已拥有该课程");
  });

  it("never shows the English title or detail", () => {
    const message = messageForProblem(problem("/problems/something-new", 409));
    expect(message).toBe(GENERIC_MESSAGE);
    expect(message).not.toMatch(/[A-Za-z]/);
  });

  it("falls back to 网络异常，请稍后重试 for anything that is not a problem", () => {
    expect(messageForProblem("<html>502 Bad Gateway</html>")).toBe("网络异常，请稍后重试");
    expect(messageForProblem(null)).toBe(GENERIC_MESSAGE);
    expect(messageOf(new Error("boom"))).toBe(GENERIC_MESSAGE);
    expect(RequestError.network().message).toBe(GENERIC_MESSAGE);
  });

  it("keeps the status and type for the code to decide on", () => {
    const err = RequestError.fromResponse(404, problem("/problems/not-found", 404));
    expect([err.status, err.type, err.message]).toEqual([404, "/problems/not-found", "内容不存在或已下架"]);
    expect(RequestError.fromResponse(502, "Bad Gateway").type).toBe("http-502");
  });
});
