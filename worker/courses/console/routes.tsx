import { eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { chapters } from "../../../schema";
import { addChapter, addLesson, courseOutline, createCourse, listAllCourses, publishCourse, reorderOutline, unpublishCourse, updateChapter, updateCourse, updateLesson } from "../admin";
import { ChapterInput, ChapterPatch, CourseInput, CoursePatch, LessonInput, LessonPatch } from "../admin-schemas";
import type { Actor } from "../audit";
import { uploadLessonMedia } from "../media";
import { COVER_MAX_BYTES, uploadCourseCover } from "../covers";
import { attempt, DONE_MESSAGES } from "../../console/errors";
import type { ConsoleEnv } from "../../console/context";
import { CourseDetailPage, CoursesPage, NewCoursePage, courseFormValues, type CourseFormValues, type FieldErrors } from "./pages";
import { field, formEntries } from "../../console/form";
import { LessonPage } from "./lesson-page";
import { parseYuanToFen } from "../../console/money";
import { notFoundPage } from "../../console/error-pages";

type Ctx = Context<ConsoleEnv>;

/**
 * The catalog in the console: the same service functions as /api/admin/courses (so the same rules and the
 * same audit rows, written in the same batch as each change), fed from forms instead of JSON.
 */
export const courseConsole = new Hono<ConsoleEnv>();

const actor = (c: Ctx): Actor => ({ actorId: c.var.session.admin.id, requestId: c.var.requestId });
const done = (c: Ctx) => DONE_MESSAGES[c.req.query("done") ?? ""];
const notFound = (c: Ctx, what: string) => notFoundPage(c, `没有这个${what}。`);
const INT = /^-?\d{1,7}$/;
const MEDIA_OVERHEAD = 64 * 1024;

/** How large a console upload may be: the API's limit plus room for the multipart envelope. */
export const consoleUploadLimit = (env: Env) => (Number(env.MEDIA_MAX_BYTES) || 100_000_000) + MEDIA_OVERHEAD;

/**
 * A lesson's media form and a course's cover form take a file: the console shell gives those paths this limit instead
 * of the form limit (the cover's own, smaller limit is the service's).
 */
export const courseConsoleUploads = { path: /^\/admin\/(lessons\/[^/]+\/media|courses\/[^/]+\/cover)$/, maxBytes: consoleUploadLimit };

function issuesToErrors(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const i of issues) {
    const key = String(i.path[0] ?? "form");
    errors[key === "priceFen" ? "price" : key] ??= i.message;
  }
  return errors;
}

/** The course form as typed, and the fields it means; the price is parsed from yuan to fen on its digits. */
function readCourseForm(form: Map<string, unknown>) {
  const values: CourseFormValues = {
    title: field(form, "title"), subtitle: field(form, "subtitle"), instructor: field(form, "instructor"),
    description: field(form, "description"), price: field(form, "price").trim(), sortOrder: field(form, "sortOrder").trim() || "0",
  };
  const errors: FieldErrors = {};
  const priceFen = parseYuanToFen(values.price);
  if (priceFen === null) errors.price = "请输入以元为单位的金额，最多两位小数，例如 199 或 19.90。";
  if (!INT.test(values.sortOrder)) errors.sortOrder = "请输入整数。";
  const fields = { title: values.title, subtitle: values.subtitle, instructor: values.instructor, description: values.description, priceFen: priceFen ?? 0, sortOrder: Number(values.sortOrder) };
  return { values, fields, errors };
}

async function renderCourse(c: Ctx, id: string, extra: { values?: CourseFormValues; errors?: FieldErrors; error?: string; notice?: string } = {}, status: 200 | 400 | 404 | 409 | 413 | 415 | 422 = 200) {
  const outline = await attempt(() => courseOutline(c.var.db, id));
  if (!outline.ok) return notFound(c, "课程");
  const values = extra.values ?? courseFormValues(outline.value);
  return c.html(<CourseDetailPage session={c.var.session} outline={outline.value} values={values} errors={extra.errors} error={extra.error} notice={extra.notice ?? done(c)} />, status);
}

courseConsole.get("/courses", async (c) => {
  const cursor = c.req.query("cursor");
  const page = await listAllCourses(c.var.db, { limit: 20, cursor: cursor && cursor.length <= 200 ? cursor : undefined });
  return c.html(<CoursesPage session={c.var.session} rows={page.items} nextCursor={page.nextCursor} notice={done(c)} />);
});

const EMPTY: CourseFormValues = { title: "", subtitle: "", instructor: "", description: "", price: "", sortOrder: "0" };
courseConsole.get("/courses/new", (c) => c.html(<NewCoursePage session={c.var.session} values={EMPTY} />));

courseConsole.post("/courses", async (c) => {
  const { values, fields, errors } = readCourseForm(await formEntries(c));
  const parsed = CourseInput.safeParse(fields);
  const all = { ...(parsed.success ? {} : issuesToErrors(parsed.error.issues)), ...errors };
  if (!parsed.success || Object.keys(errors).length) return c.html(<NewCoursePage session={c.var.session} values={values} errors={all} error="请修改标出的字段。" />, 422);
  const course = await createCourse(c.var.db, actor(c), parsed.data);
  return c.redirect(`/admin/courses/${encodeURIComponent(course.id)}?done=created`, 303);
});

courseConsole.get("/courses/:id", (c) => renderCourse(c, c.req.param("id")));

courseConsole.post("/courses/:id", async (c) => {
  const id = c.req.param("id");
  const current = await attempt(() => courseOutline(c.var.db, id));
  if (!current.ok) return notFound(c, "课程");
  const { values, fields, errors } = readCourseForm(await formEntries(c));
  // Only what changed goes to the service, so the audit row's before/after name the real edit.
  const changed = Object.fromEntries(Object.entries(fields).filter(([k, v]) => current.value[k as keyof typeof fields] !== v));
  if (Object.keys(errors).length === 0 && Object.keys(changed).length === 0) return c.redirect(`/admin/courses/${encodeURIComponent(id)}?done=unchanged`, 303);
  const parsed = CoursePatch.safeParse(changed);
  const all = { ...(parsed.success ? {} : issuesToErrors(parsed.error.issues)), ...errors };
  if (!parsed.success || Object.keys(errors).length) return renderCourse(c, id, { values, errors: all, error: "请修改标出的字段。" }, 422);
  await updateCourse(c.var.db, actor(c), id, parsed.data);
  return c.redirect(`/admin/courses/${encodeURIComponent(id)}?done=saved`, 303);
});

/** The cover is a file (PNG, JPEG or WebP by its bytes), stored by content hash; the course's coverUrl follows it. */
courseConsole.post("/courses/:id/cover", async (c) => {
  const id = c.req.param("id");
  const file = (await formEntries(c)).get("file");
  if (!(file instanceof File) || file.size === 0) return renderCourse(c, id, { error: "请选择要上传的封面图片。" }, 422);
  if (file.size > COVER_MAX_BYTES) return renderCourse(c, id, { error: `封面图片最大 ${COVER_MAX_BYTES / 1024 / 1024} MB。` }, 413);
  const result = await attempt(async () => uploadCourseCover(c.var.db, actor(c), c.env.MEDIA, id, new Uint8Array(await file.arrayBuffer())));
  if (!result.ok) {
    const message = result.status === 415 ? "封面只接受 PNG、JPEG 或 WebP 图片（按文件内容判断）。" : result.status === 413 ? `封面图片最大 ${COVER_MAX_BYTES / 1024 / 1024} MB。` : result.error;
    return renderCourse(c, id, { error: message }, result.status === 404 ? 404 : result.status === 413 ? 413 : result.status === 415 ? 415 : 422);
  }
  return c.redirect(`/admin/courses/${encodeURIComponent(id)}?done=cover`, 303);
});

for (const [path, run, flag] of [["publish", publishCourse, "published"], ["unpublish", unpublishCourse, "unpublished"]] as const) {
  courseConsole.post(`/courses/:id/${path}`, async (c) => {
    const id = c.req.param("id");
    const result = await attempt(() => run(c.var.db, actor(c), id));
    if (!result.ok) return renderCourse(c, id, { error: result.error }, result.status === 404 ? 404 : 409);
    return c.redirect(`/admin/courses/${encodeURIComponent(id)}?done=${flag}`, 303);
  });
}

courseConsole.post("/courses/:id/chapters", async (c) => {
  const id = c.req.param("id");
  const parsed = ChapterInput.safeParse({ title: field(await formEntries(c), "title") });
  if (!parsed.success) return renderCourse(c, id, { error: "章节标题不能为空，最多 100 字。" }, 422);
  const result = await attempt(() => addChapter(c.var.db, actor(c), id, parsed.data));
  if (!result.ok) return renderCourse(c, id, { error: result.error }, 404);
  return c.redirect(`/admin/courses/${encodeURIComponent(id)}?done=chapter`, 303);
});

async function courseOfChapter(c: Ctx, chapterId: string) {
  const [row] = await c.var.db.select({ courseId: chapters.courseId }).from(chapters).where(eq(chapters.id, chapterId));
  return row?.courseId ?? null;
}

courseConsole.post("/chapters/:id", async (c) => {
  const courseId = await courseOfChapter(c, c.req.param("id"));
  if (!courseId) return notFound(c, "章节");
  const parsed = ChapterPatch.safeParse({ title: field(await formEntries(c), "title") });
  if (!parsed.success) return renderCourse(c, courseId, { error: "章节标题不能为空，最多 100 字。" }, 422);
  await updateChapter(c.var.db, actor(c), c.req.param("id"), parsed.data);
  return c.redirect(`/admin/courses/${encodeURIComponent(courseId)}?done=renamed`, 303);
});

/** Lesson fields from a form: an unticked checkbox is simply absent, so isTrial is always sent. */
function readLessonForm(form: Map<string, unknown>) {
  const duration = field(form, "durationSec").trim() || "0";
  const errors: FieldErrors = INT.test(duration) ? {} : { durationSec: "请输入整数秒数。" };
  const fields: Record<string, unknown> = { title: field(form, "title"), kind: field(form, "kind"), durationSec: Number(duration), isTrial: field(form, "isTrial") === "on" };
  if (form.has("chapterId")) fields.chapterId = field(form, "chapterId");
  return { fields, errors };
}

courseConsole.post("/chapters/:id/lessons", async (c) => {
  const chapterId = c.req.param("id");
  const courseId = await courseOfChapter(c, chapterId);
  if (!courseId) return notFound(c, "章节");
  const { fields, errors } = readLessonForm(await formEntries(c));
  const parsed = LessonInput.safeParse(fields);
  if (!parsed.success || Object.keys(errors).length) {
    const all = { ...(parsed.success ? {} : issuesToErrors(parsed.error.issues)), ...errors };
    return renderCourse(c, courseId, { error: `课时未添加：${Object.entries(all).map(([k, m]) => `${k}: ${m}`).join("；")}` }, 422);
  }
  await addLesson(c.var.db, actor(c), chapterId, parsed.data);
  return c.redirect(`/admin/courses/${encodeURIComponent(courseId)}?done=lesson`, 303);
});

async function renderLesson(c: Ctx, lessonId: string, extra: { errors?: FieldErrors; error?: string } = {}, status: 200 | 400 | 404 | 411 | 413 | 415 | 422 = 200) {
  const courseId = await courseOfLesson(c, lessonId);
  const outline = courseId ? await courseOutline(c.var.db, courseId) : null;
  const lesson = outline?.chapters.flatMap((ch) => ch.lessons).find((l) => l.id === lessonId);
  if (!outline || !lesson) return notFound(c, "课时");
  return c.html(<LessonPage session={c.var.session} outline={outline} lesson={lesson} errors={extra.errors} error={extra.error} notice={done(c)} />, status);
}

async function courseOfLesson(c: Ctx, lessonId: string) {
  const row = await c.env.DB.prepare("SELECT course_id FROM lessons WHERE id = ?").bind(lessonId).first<{ course_id: string }>();
  return row?.course_id ?? null;
}

courseConsole.get("/lessons/:id", (c) => renderLesson(c, c.req.param("id")));

courseConsole.post("/lessons/:id", async (c) => {
  const id = c.req.param("id");
  const { fields, errors } = readLessonForm(await formEntries(c));
  const parsed = LessonPatch.safeParse(fields);
  if (!parsed.success || Object.keys(errors).length) {
    return renderLesson(c, id, { errors: { ...(parsed.success ? {} : issuesToErrors(parsed.error.issues)), ...errors }, error: "请修改标出的字段。" }, 422);
  }
  const result = await attempt(() => updateLesson(c.var.db, actor(c), id, parsed.data));
  if (!result.ok) return renderLesson(c, id, { error: result.error }, result.status === 404 ? 404 : 422);
  // Same as the API: a kind change leaves the old object unreferenced.
  if (result.value.orphanedMediaKey) await c.env.MEDIA.delete(result.value.orphanedMediaKey);
  return c.redirect(`/admin/lessons/${encodeURIComponent(id)}?done=saved`, 303);
});

/** Browsers send application/octet-stream (or nothing) for extensions they do not know: name the type from the extension. */
const BY_EXTENSION: Record<string, string> = { mp4: "video/mp4", mp3: "audio/mpeg", m4a: "audio/mp4", aac: "audio/aac", md: "text/markdown", markdown: "text/markdown", html: "text/html", htm: "text/html", txt: "text/plain" };

courseConsole.post("/lessons/:id/media", async (c) => {
  const id = c.req.param("id");
  const file = (await formEntries(c)).get("file");
  if (!(file instanceof File) || file.size === 0) return renderLesson(c, id, { error: "请选择要上传的文件。" }, 422);
  const known = file.type && file.type !== "application/octet-stream" ? file.type : undefined;
  const type = known ?? BY_EXTENSION[file.name.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
  // The API's upload takes a request body with its type and length; the file from the form is handed over as one.
  const upload = new Request("https://console.invalid/media", { method: "PUT", headers: { "content-type": type, "content-length": String(file.size) }, body: file.stream() });
  const maxBytes = Number(c.env.MEDIA_MAX_BYTES) || 100_000_000;
  const result = await attempt(() => uploadLessonMedia(c.var.db, actor(c), c.env.MEDIA, maxBytes, id, upload));
  if (!result.ok) return renderLesson(c, id, { error: result.error }, result.status === 404 ? 404 : result.status === 413 ? 413 : result.status === 415 ? 415 : 422);
  return c.redirect(`/admin/lessons/${encodeURIComponent(id)}?done=uploaded`, 303);
});

/** Up/down buttons: the outline is rewritten through the same reorder service as the API's drag and drop. */
courseConsole.post("/courses/:id/move", async (c) => {
  const courseId = c.req.param("id");
  const form = await formEntries(c);
  const [kind, target, dir] = [field(form, "kind"), field(form, "id"), field(form, "dir") === "up" ? -1 : 1];
  const current = await attempt(() => courseOutline(c.var.db, courseId));
  if (!current.ok) return notFound(c, "课程");
  const order = current.value.chapters.map((ch) => ({ id: ch.id, lessonIds: ch.lessons.map((l) => l.id) }));
  const swap = (list: string[]) => {
    const i = list.indexOf(target);
    if (i < 0 || i + dir < 0 || i + dir >= list.length) return false;
    [list[i], list[i + dir]] = [list[i + dir], list[i]];
    return true;
  };
  let moved = false;
  if (kind === "chapter") {
    const ids = order.map((o) => o.id);
    if ((moved = swap(ids))) order.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  } else if (kind === "lesson") {
    moved = order.some((o) => swap(o.lessonIds));
  }
  if (!moved) return c.redirect(`/admin/courses/${encodeURIComponent(courseId)}`, 303);
  await reorderOutline(c.var.db, actor(c), courseId, { chapters: order });
  return c.redirect(`/admin/courses/${encodeURIComponent(courseId)}?done=moved`, 303);
});
