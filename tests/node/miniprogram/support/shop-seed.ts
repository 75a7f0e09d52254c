/** A priced course with one lesson of each kind, its media in the worker's local R2 (as an admin upload leaves it). */
import type { startLocalWorker } from "../../../../scripts/local-worker.mjs";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

export const ARTICLE_BODY = "# 课后练习\n\n每天临帖 **三十分钟**。\n\n- 先读帖\n- 再临写";

export async function seedShopCourse(worker: Worker, id: string, priceFen = 19900) {
  const now = Date.now();
  const lessons = [
    { id: `${id}-l1`, title: "认识笔墨纸砚", kind: "video", durationSec: 615, trial: 1, type: "video/mp4", body: `video ${id} trial` },
    { id: `${id}-l2`, title: "执笔与运笔", kind: "video", durationSec: 600, trial: 0, type: "video/mp4", body: `video ${id} lesson two` },
    { id: `${id}-l3`, title: "名家讲帖", kind: "audio", durationSec: 300, trial: 0, type: "audio/mpeg", body: `audio ${id}` },
    { id: `${id}-l4`, title: "课后练习", kind: "article", durationSec: 0, trial: 0, type: "text/markdown", body: ARTICLE_BODY },
  ];
  const bucket = await worker.mf.getR2Bucket("MEDIA");
  for (const l of lessons) await bucket.put(`test/${l.id}`, new TextEncoder().encode(l.body), { httpMetadata: { contentType: l.type } });
  await worker.db.batch([
    worker.db
      .prepare(
        `insert into courses (id, title, subtitle, cover_url, instructor, description, price_fen, status, sort_order, created_at, updated_at)
         values (?, ?, '名家带你入门', '', '王老师', '从握笔开始。', ?, 'published', 0, ?, ?)`,
      )
      .bind(id, `书法精讲 ${id}`, priceFen, now, now),
    worker.db.prepare(`insert into chapters (id, course_id, title, sort_order) values (?, ?, '第一章', 0)`).bind(`${id}-ch1`, id),
    ...lessons.map((l, i) =>
      worker.db
        .prepare(
          `insert into lessons (id, course_id, chapter_id, title, kind, duration_sec, is_trial, sort_order, media_key, media_content_type, media_bytes)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(l.id, id, `${id}-ch1`, l.title, l.kind, l.durationSec, l.trial, i, `test/${l.id}`, l.type, new TextEncoder().encode(l.body).length),
    ),
  ]);
  return { id, title: `书法精讲 ${id}`, lessons };
}
