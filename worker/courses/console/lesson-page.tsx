import type { courseOutline } from "../admin";
import { MEDIA_TYPES } from "../media";
import { KIND_LABELS, LessonKindOptions, Messages, mediaSummary, type FieldErrors } from "./pages";
import { Layout } from "../../console/layout";
import type { ConsoleSession } from "../../console/session";

type Outline = Awaited<ReturnType<typeof courseOutline>>;
type Lesson = Outline["chapters"][number]["lessons"][number];

export function LessonPage(p: { session: ConsoleSession; outline: Outline; lesson: Lesson; errors?: FieldErrors; notice?: string; error?: string }) {
  const { session, outline, lesson } = p;
  const action = `/admin/lessons/${encodeURIComponent(lesson.id)}`;
  const csrf = <input type="hidden" name="_csrf" value={session.csrfToken} />;
  const err = (name: string) => (p.errors?.[name] ? <small class="field-error" data-error-for={name}>{p.errors[name]}</small> : null);
  return (
    <Layout title={lesson.title} admin={session.admin} csrfToken={session.csrfToken} active="courses">
      <p><a href={`/admin/courses/${encodeURIComponent(outline.id)}`}>« {outline.title}</a></p>
      <h1>{lesson.title} <span class="tag">{KIND_LABELS[lesson.kind]}</span>{lesson.isTrial ? <span class="tag trial">试看</span> : null}</h1>
      <Messages notice={p.notice} error={p.error} />
      <h2>媒体文件</h2>
      <div class="card">
        <p>
          当前：<span class="mono" data-testid="lesson-media">{mediaSummary(lesson)}</span>
        </p>
        <form method="post" action={`${action}/media`} enctype="multipart/form-data" class="inline" data-testid="media-form">
          {csrf}
          <input type="file" name="file" required accept={MEDIA_TYPES[lesson.kind].join(",")} aria-label="媒体文件" />
          <button type="submit" class="primary">上传</button>
        </form>
        <p class="muted">
          {KIND_LABELS[lesson.kind]}课时接受 {MEDIA_TYPES[lesson.kind].join("、")}。上传后旧文件失效（已发出的播放链接随之失效）。大文件请用 PUT /api/admin/lessons/:id/media 流式上传。
        </p>
      </div>
      <h2>课时信息</h2>
      <form class="card form" method="post" action={action} data-testid="lesson-form">
        {csrf}
        <label class="field"><span>标题</span><input type="text" name="title" value={lesson.title} required maxlength={100} />{err("title")}</label>
        <label class="field">
          <span>类型（改变类型会清除已上传的媒体）</span>
          <select name="kind"><LessonKindOptions selected={lesson.kind} /></select>
          {err("kind")}
        </label>
        <label class="field">
          <span>所属章节</span>
          <select name="chapterId">
            {outline.chapters.map((ch) => <option value={ch.id} selected={ch.id === lesson.chapterId}>{ch.title}</option>)}
          </select>
          {err("chapterId")}
        </label>
        <label class="field"><span>时长（秒）</span><input type="text" name="durationSec" value={String(lesson.durationSec)} inputmode="numeric" />{err("durationSec")}</label>
        <label class="check"><input type="checkbox" name="isTrial" value="on" checked={lesson.isTrial} /> 免费试看</label>
        <div><button class="primary" type="submit">保存</button></div>
      </form>
    </Layout>
  );
}
