/** Catalog rows for the mini-program's tests, written straight into the worker's local D1 (schema/courses.ts). */
type D1 = { prepare(sql: string): { bind(...values: unknown[]): unknown }; batch(statements: unknown[]): Promise<unknown> };

export type SeededCourse = { id: string; title: string; priceFen: number; trialLessons: number; lessons: number };

export async function seedCatalog(db: D1, publishedCount: number): Promise<SeededCourse[]> {
  const now = Date.now();
  const statements: unknown[] = [];
  const courses: SeededCourse[] = [];
  const insertCourse = db.prepare(
    `insert into courses (id, title, subtitle, cover_url, instructor, description, price_fen, status, sort_order, created_at, updated_at)
     values (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let i = 0; i < publishedCount; i++) {
    const id = `course-${String(i + 1).padStart(2, "0")}`;
    const priceFen = i === 1 ? 0 : 9900 + i * 100;
    const title = i === 1 ? "书法入门（免费）" : `国画第${i + 1}课`;
    statements.push(insertCourse.bind(id, title, "名家带你入门", "王老师", "从握笔开始，循序渐进。", priceFen, "published", i, now, now));
    statements.push(db.prepare(`insert into chapters (id, course_id, title, sort_order) values (?, ?, ?, 0)`).bind(`${id}-ch1`, id, "第一章 基础"));
    const insertLesson = `insert into lessons (id, course_id, chapter_id, title, kind, duration_sec, is_trial, sort_order) values (?, ?, ?, ?, ?, ?, ?, ?)`;
    statements.push(db.prepare(insertLesson).bind(`${id}-l1`, id, `${id}-ch1`, "认识笔墨纸砚", "video", 615, 1, 0));
    statements.push(db.prepare(insertLesson).bind(`${id}-l2`, id, `${id}-ch1`, "执笔与运笔", "video", 3723, 0, 1));
    statements.push(db.prepare(insertLesson).bind(`${id}-l3`, id, `${id}-ch1`, "课后练习", "article", 0, 0, 2));
    courses.push({ id, title, priceFen, trialLessons: 1, lessons: 3 });
  }
  statements.push(insertCourse.bind("course-draft", "未发布的草稿课", "", "", "", 100, "draft", 0, now, now));
  await db.batch(statements);
  return courses;
}
