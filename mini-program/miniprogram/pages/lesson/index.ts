import { articleHtml } from "../../lib/article";
import { isExpiredLinkStatus, MediaLinkSource, type MediaLink } from "../../lib/media-link";
import { messageOf, RequestError } from "../../lib/problems";
import { clock, ProgressReporter, resumePosition } from "../../lib/progress";
import { decodeQueryValue } from "../../lib/query";
import { api, session } from "../../lib/services";
import { fetchText } from "../../lib/wx-shop";

type Status = "loading" | "ready" | "error";
type Kind = "video" | "audio" | "article" | "";

/** What the page keeps outside `data` (nothing the template shows). */
type Runtime = { source: MediaLinkSource; reporter: ProgressReporter; audio: WechatMiniprogram.InnerAudioContext | null; position: number };
type PageThis = { data: { lessonId: string }; runtime?: Runtime };

const LOCKED_MESSAGE = "开通课程后即可学习该课时";

function runtimeOf(page: unknown): Runtime | undefined {
  return (page as PageThis).runtime;
}

/**
 * 课程学习: plays a video (<video>), an audio lesson (InnerAudioContext with its own controls) or shows an
 * article (its body fetched from the signed link, in <rich-text>). Resumes from the saved position and
 * reports progress every 15 s while playing and when the page hides or closes.
 */
Page({
  data: {
    status: "loading" as Status,
    message: "",
    lessonId: "",
    courseId: "",
    title: "",
    kind: "" as Kind,
    src: "",
    resumeSec: 0,
    html: "",
    playing: false,
    positionLabel: "0:00",
    durationLabel: "",
    resumeLabel: "",
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ lessonId: decodeQueryValue(query.id), courseId: decodeQueryValue(query.courseId) });
    void this.load();
  },

  onRetry() {
    void this.load();
  },

  onHide() {
    this.pauseAudioAndFlush();
  },

  onUnload() {
    this.pauseAudioAndFlush();
    const rt = runtimeOf(this);
    rt?.audio?.destroy();
    if (rt) rt.audio = null;
  },

  pauseAudioAndFlush() {
    const rt = runtimeOf(this);
    if (!rt) return;
    rt.audio?.pause();
    void rt.reporter.flush();
  },

  async load() {
    const lessonId = this.data.lessonId;
    if (!lessonId) {
      this.setData({ status: "error", message: "内容不存在或已下架" });
      return;
    }
    this.setData({ status: "loading", message: "" });
    runtimeOf(this)?.audio?.destroy();
    const source = new MediaLinkSource(() => api.get("/api/lessons/{id}/media", { path: { id: lessonId } }));
    const reporter = new ProgressReporter((positionSec) => api.post("/api/lessons/{id}/progress", { path: { id: lessonId }, body: { positionSec }, idempotent: true }));
    const rt: Runtime = { source, reporter, audio: null, position: 0 };
    (this as unknown as PageThis).runtime = rt;
    try {
      await session.ensureLogin();
      const [link, lesson] = await Promise.all([source.first(), this.findLesson(lessonId)]);
      const resumeSec = resumePosition(lesson?.progress, lesson?.durationSec ?? 0);
      rt.position = resumeSec;
      const title = lesson?.title ?? "";
      if (title) void wx.setNavigationBarTitle({ title });
      const base = { title, kind: link.kind, resumeSec, durationLabel: lesson?.durationSec ? clock(lesson.durationSec) : "", positionLabel: clock(resumeSec), resumeLabel: resumeSec > 0 ? `从上次的 ${clock(resumeSec)} 继续学习` : "" };
      if (link.kind === "article") {
        const html = await this.articleBody(link);
        this.setData({ ...base, status: "ready", html });
        // An article counts as studied once opened.
        void reporter.update(0);
      } else if (link.kind === "audio") {
        this.setData({ ...base, status: "ready", src: link.url });
        rt.audio = this.createAudio(link.url, resumeSec);
      } else {
        this.setData({ ...base, status: "ready", src: link.url });
      }
    } catch (e) {
      const message = e instanceof RequestError && e.status === 403 ? LOCKED_MESSAGE : messageOf(e);
      this.setData({ status: "error", message });
    }
  },

  /** The lesson's title, length and saved progress, from its course (the player needs no other route). */
  async findLesson(lessonId: string) {
    if (!this.data.courseId) return null;
    const course = await api.get("/api/courses/{id}", { path: { id: this.data.courseId } });
    for (const ch of course.chapters) for (const l of ch.lessons) if (l.id === lessonId) return l;
    return null;
  },

  async articleBody(link: MediaLink): Promise<string> {
    let current = link;
    let res = await fetchText(current.url);
    if (isExpiredLinkStatus(res.status)) {
      const fresh = await runtimeOf(this)!.source.refresh();
      if (fresh) {
        current = fresh;
        res = await fetchText(fresh.url);
      }
    }
    if (res.status !== 200) throw new RequestError("内容加载失败，请稍后重试", res.status, `http-${res.status}`);
    return articleHtml(res.body, current.contentType);
  },

  createAudio(url: string, startSec: number) {
    const audio = wx.createInnerAudioContext();
    audio.src = url;
    audio.startTime = startSec;
    audio.onPlay(() => this.setData({ playing: true }));
    audio.onPause(() => {
      this.setData({ playing: false });
      void runtimeOf(this)?.reporter.flush();
    });
    audio.onEnded(() => this.onEnded());
    audio.onTimeUpdate(() => this.onTimeUpdate({ detail: { currentTime: audio.currentTime } }));
    audio.onError(() => void this.onMediaError());
    return audio;
  },

  onAudioToggle() {
    const audio = runtimeOf(this)?.audio;
    if (!audio) return;
    if (this.data.playing) audio.pause();
    else audio.play();
  },

  /** <video bindtimeupdate> and the audio context's onTimeUpdate. */
  onTimeUpdate(e: { detail: { currentTime: number } }) {
    const rt = runtimeOf(this);
    if (!rt) return;
    rt.position = e.detail.currentTime;
    const label = clock(e.detail.currentTime);
    if (label !== this.data.positionLabel) this.setData({ positionLabel: label });
    void rt.reporter.update(e.detail.currentTime);
  },

  onPause() {
    void runtimeOf(this)?.reporter.flush();
  },

  onEnded() {
    this.setData({ playing: false });
    void runtimeOf(this)?.reporter.flush();
  },

  /** The media host refused the link (it expired while the page was open): get a fresh one, once. */
  async onMediaError() {
    const rt = runtimeOf(this);
    if (!rt) return;
    try {
      const fresh = await rt.source.refresh();
      if (!fresh) {
        this.setData({ status: "error", message: "播放失败，请稍后重试" });
        return;
      }
      const at = Math.floor(rt.position);
      this.setData({ src: fresh.url, resumeSec: at });
      if (rt.audio) {
        rt.audio.src = fresh.url;
        rt.audio.startTime = at;
        rt.audio.play();
      }
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },
});
