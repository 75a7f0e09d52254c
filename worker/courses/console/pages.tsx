import type { courseOutline, listAllCourses } from "../admin";
import { Layout, formatTime } from "../../console/layout";
import { fenToYuan, formatFen } from "../../console/money";
import type { ConsoleSession } from "../../console/session";
import { Pager } from "../../console/list-filters";

type CourseRow = Awaited<ReturnType<typeof listAllCourses>>["items"][number];
type Outline = Awaited<ReturnType<typeof courseOutline>>;
type Lesson = Outline["chapters"][number]["lessons"][number];
export type FieldErrors = Record<string, string>;
/** What the course form shows: the stored course, or what the admin typed when it was refused. */
export type CourseFormValues = { title: string; subtitle: string; instructor: string; description: string; price: string; sortOrder: string };
type Flash = { notice?: string; error?: string };

export const STATUS_LABELS: Record<string, string> = { draft: "草稿", published: "已上架", archived: "已归档" };
export const KIND_LABELS: Record<string, string> = { video: "视频", audio: "音频", article: "图文" };

export function courseFormValues(c: Pick<CourseRow, "title" | "subtitle" | "instructor" | "description" | "priceFen" | "sortOrder">): CourseFormValues {
  return { title: c.title, subtitle: c.subtitle, instructor: c.instructor, description: c.description, price: fenToYuan(c.priceFen), sortOrder: String(c.sortOrder) };
}

export function Messages({ notice, error }: Flash) {
  return (
    <>
      {notice ? <div class="notice" role="status">{notice}</div> : null}
      {error ? <div class="error" role="alert">{error}</div> : null}
    </>
  );
}

function Csrf({ session }: { session: ConsoleSession }) {
  return <input type="hidden" name="_csrf" value={session.csrfToken} />;
}

function Field({ label, name, errors, children }: { label: string; name: string; errors?: FieldErrors; children: unknown }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
      {errors?.[name] ? <small class="field-error" data-error-for={name}>{errors[name]}</small> : null}
    </label>
  );
}

export function CoursesPage({ session, rows, nextCursor, notice }: { session: ConsoleSession; rows: CourseRow[]; nextCursor: string | null; notice?: string }) {
  return (
    <Layout title="课程" admin={session.admin} csrfToken={session.csrfToken} active="courses">
      <h1>
        课程 <a class="button" href="/admin/courses/new">新建课程</a>
      </h1>
      <Messages notice={notice} />
      {rows.length === 0 ? (
        <div class="card muted">还没有课程</div>
      ) : (
        <table data-testid="courses-table">
          <thead>
            <tr><th>排序</th><th>标题</th><th>讲师</th><th>价格</th><th>状态</th><th>更新时间（北京）</th></tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr data-course-id={c.id}>
                <td class="mono">{c.sortOrder}</td>
                <td><a href={`/admin/courses/${encodeURIComponent(c.id)}`}>{c.title}</a></td>
                <td>{c.instructor || <span class="muted">—</span>}</td>
                <td class="mono">{c.priceFen === 0 ? "免费" : formatFen(c.priceFen)}</td>
                <td><span class={`tag ${c.status}`}>{STATUS_LABELS[c.status]}</span></td>
                <td class="mono">{formatTime(new Date(c.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/admin/courses" nextCursor={nextCursor} />
    </Layout>
  );
}

export function CourseForm({ session, action, values, errors, submit }: { session: ConsoleSession; action: string; values: CourseFormValues; errors?: FieldErrors; submit: string }) {
  return (
    <form class="card form" method="post" action={action} data-testid="course-form">
      <Csrf session={session} />
      <Field label="标题" name="title" errors={errors}><input type="text" name="title" value={values.title} required maxlength={100} /></Field>
      <Field label="副标题" name="subtitle" errors={errors}><input type="text" name="subtitle" value={values.subtitle} maxlength={200} /></Field>
      <Field label="讲师" name="instructor" errors={errors}><input type="text" name="instructor" value={values.instructor} maxlength={60} /></Field>
      <Field label="价格（元，最多两位小数；0 为免费）" name="price" errors={errors}><input type="text" name="price" value={values.price} required inputmode="decimal" placeholder="199.00" /></Field>
      <Field label="排序（小的在前）" name="sortOrder" errors={errors}><input type="text" name="sortOrder" value={values.sortOrder} inputmode="numeric" /></Field>
      <Field label="介绍" name="description" errors={errors}><textarea name="description" rows={6} maxlength={10000}>{values.description}</textarea></Field>
      <div><button class="primary" type="submit">{submit}</button></div>
    </form>
  );
}

/** The course's cover and the form that replaces it (a file: PNG, JPEG or WebP up to 2 MB). */
function CoverCard({ session, action, coverUrl }: { session: ConsoleSession; action: string; coverUrl: string }) {
  return (
    <div class="card" data-testid="course-cover">
      <h2>封面</h2>
      {coverUrl ? <p><img src={coverUrl} alt="课程封面" style="max-width:100%;width:320px;height:auto;border-radius:6px" /></p> : <p class="muted">还没有封面</p>}
      <form method="post" action={action} enctype="multipart/form-data" class="inline" data-testid="cover-form">
        <Csrf session={session} />
        <input type="file" name="file" required accept="image/png,image/jpeg,image/webp" aria-label="封面图片" />
        <button type="submit" class="primary">上传封面</button>
      </form>
      <p class="muted">PNG、JPEG 或 WebP，最大 2 MB；建议 16:9。上传后立即替换当前封面。</p>
    </div>
  );
}

export function NewCoursePage({ session, values, errors, error }: { session: ConsoleSession; values: CourseFormValues; errors?: FieldErrors; error?: string }) {
  return (
    <Layout title="新建课程" admin={session.admin} csrfToken={session.csrfToken} active="courses">
      <p><a href="/admin/courses">« 课程列表</a></p>
      <h1>新建课程</h1>
      <Messages error={error} />
      <CourseForm session={session} action="/admin/courses" values={values} errors={errors} submit="创建（草稿）" />
    </Layout>
  );
}

function Move({ session, courseId, kind, id, first, last }: { session: ConsoleSession; courseId: string; kind: "chapter" | "lesson"; id: string; first: boolean; last: boolean }) {
  const button = (dir: "up" | "down", label: string, disabled: boolean) => (
    <form class="inline" method="post" action={`/admin/courses/${encodeURIComponent(courseId)}/move`}>
      <Csrf session={session} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="dir" value={dir} />
      <button type="submit" class="small" disabled={disabled} title={dir === "up" ? "上移" : "下移"}>{label}</button>
    </form>
  );
  return <span class="moves">{button("up", "↑", first)}{button("down", "↓", last)}</span>;
}

export function LessonKindOptions({ selected }: { selected?: string }) {
  return <>{Object.entries(KIND_LABELS).map(([k, label]) => <option value={k} selected={k === selected}>{label}</option>)}</>;
}

export function mediaSummary(l: Pick<Lesson, "mediaContentType" | "mediaBytes">) {
  if (!l.mediaContentType || l.mediaBytes === null) return "未上传";
  const b = l.mediaBytes;
  const size = b < 1024 ? `${b} B` : b < 1024 * 1024 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1024 / 1024).toFixed(1)} MB`;
  return `${l.mediaContentType} · ${size}`;
}

export function CourseDetailPage(p: { session: ConsoleSession; outline: Outline; values: CourseFormValues; errors?: FieldErrors } & Flash) {
  const { session, outline } = p;
  const base = `/admin/courses/${encodeURIComponent(outline.id)}`;
  const published = outline.status === "published";
  return (
    <Layout title={outline.title} admin={session.admin} csrfToken={session.csrfToken} active="courses">
      <p><a href="/admin/courses">« 课程列表</a></p>
      <h1>
        {outline.title} <span class={`tag ${outline.status}`} data-testid="course-status">{STATUS_LABELS[outline.status]}</span>
      </h1>
      <Messages notice={p.notice} error={p.error} />
      <div class="card actions">
        <form class="inline" method="post" action={`${base}/${published ? "unpublish" : "publish"}`}>
          <Csrf session={session} />
          <button type="submit" class={published ? "" : "primary"} data-testid="publish-toggle">{published ? "下架（改回草稿）" : "发布上架"}</button>
        </form>
        <span class="muted">
          价格 {formatFen(outline.priceFen)} · 发布于 {formatTime(outline.publishedAt ? new Date(outline.publishedAt) : null)} · ID <span class="mono">{outline.id}</span>
        </span>
      </div>
      <CoverCard session={session} action={`${base}/cover`} coverUrl={outline.coverUrl} />
      <h2>章节与课时</h2>
      {outline.chapters.length === 0 ? <div class="card muted">还没有章节</div> : null}
      {outline.chapters.map((ch, i) => (
        <div class="card chapter" data-chapter-id={ch.id}>
          <div class="chapter-head">
            <Move session={session} courseId={outline.id} kind="chapter" id={ch.id} first={i === 0} last={i === outline.chapters.length - 1} />
            <form class="inline grow" method="post" action={`/admin/chapters/${encodeURIComponent(ch.id)}`}>
              <Csrf session={session} />
              <input type="text" name="title" value={ch.title} required maxlength={100} aria-label="章节标题" />
              <button type="submit" class="small">改名</button>
            </form>
          </div>
          <table>
            <thead><tr><th></th><th>课时</th><th>类型</th><th>试看</th><th>时长</th><th>媒体</th></tr></thead>
            <tbody>
              {ch.lessons.map((l, j) => (
                <tr data-lesson-id={l.id}>
                  <td><Move session={session} courseId={outline.id} kind="lesson" id={l.id} first={j === 0} last={j === ch.lessons.length - 1} /></td>
                  <td><a href={`/admin/lessons/${encodeURIComponent(l.id)}`}>{l.title}</a></td>
                  <td>{KIND_LABELS[l.kind]}</td>
                  <td>{l.isTrial ? <span class="tag trial">试看</span> : <span class="muted">—</span>}</td>
                  <td class="mono">{l.durationSec ? `${Math.floor(l.durationSec / 60)}:${String(l.durationSec % 60).padStart(2, "0")}` : "—"}</td>
                  <td class="mono" data-testid="lesson-media">{mediaSummary(l)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form class="inline add-lesson" method="post" action={`/admin/chapters/${encodeURIComponent(ch.id)}/lessons`}>
            <Csrf session={session} />
            <input type="text" name="title" required maxlength={100} placeholder="新课时标题" aria-label="新课时标题" />
            <select name="kind" aria-label="类型"><LessonKindOptions selected="video" /></select>
            <input type="text" name="durationSec" inputmode="numeric" placeholder="时长（秒）" aria-label="时长（秒）" size={8} />
            <label class="check"><input type="checkbox" name="isTrial" value="on" /> 试看</label>
            <button type="submit" class="small">添加课时</button>
          </form>
        </div>
      ))}
      <form class="card inline" method="post" action={`${base}/chapters`}>
        <Csrf session={session} />
        <input type="text" name="title" required maxlength={100} placeholder="新章节标题" aria-label="新章节标题" />
        <button type="submit">添加章节</button>
      </form>
      <h2>课程信息</h2>
      <CourseForm session={session} action={base} values={p.values} errors={p.errors} submit="保存修改" />
    </Layout>
  );
}
