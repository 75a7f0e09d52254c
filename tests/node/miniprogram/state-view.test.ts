// @vitest-environment jsdom
import "./support/node-realm";
import { beforeAll, describe, expect, it } from "vitest";
import simulate from "miniprogram-simulate";
import { buildMiniProgram, renderPage } from "./support/wx-env";

const text = (c: { dom: { textContent: string | null } }) => (c.dom.textContent ?? "").replace(/\s+/g, "");

describe("the loading, empty and error states", () => {
  beforeAll(() => buildMiniProgram(), 30_000);

  it("shows 加载中 while loading and the page's own words when empty", () => {
    const view = renderPage("components/state-view/index");
    expect(text(view)).toBe("加载中…");
    view.setData({ status: "empty", emptyText: "还没有上架的课程" });
    expect(text(view)).toBe("还没有上架的课程");
  });

  it("shows the error with a retry button that asks the page to load again", async () => {
    const view = renderPage("components/state-view/index");
    view.setData({ status: "error", message: "内容不存在或已下架" });
    expect(text(view)).toBe("内容不存在或已下架重试");
    let retried = 0;
    // j-component forwards the component's triggerEvent to listeners on the rendered root.
    (view as unknown as { addEventListener(name: string, listener: () => void): void }).addEventListener("retry", () => retried++);
    view.querySelector(".retry")!.dispatchEvent("tap");
    await simulate.sleep(0);
    expect(retried).toBe(1);
  });

  it("falls back to the generic message when the page gave none", () => {
    const view = renderPage("components/state-view/index");
    view.setData({ status: "error" });
    expect(text(view)).toBe("网络异常，请稍后重试重试");
  });
});
