#!/usr/bin/env node
// Demo media for the seeded lessons (schema/seed.mjs points them at `demo/<lessonId>.<ext>` keys) in the local R2
// bucket that `wrangler dev` serves as MEDIA. Idempotent. Articles get a Markdown body, audio lessons a few seconds of
// silent MP3, video lessons a real 4-second H.264/AAC MP4 that WeChat DevTools plays (scripts/demo-media/lesson.mp4,
// generated, see the README there). The demo courses get a cover (scripts/demo-media/cover.png) stored the way the
// console stores an uploaded one: `covers/<sha256>.png`, served at /media/covers/<sha256>.png.
// Usage: node scripts/seed-media.mjs
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { demoCourses } from "../schema/seed.mjs";
import { localStateArgs, root, runWrangler } from "./wrangler.mjs";

const BUCKET = "zhishi-partners-media";

/** One MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz, mono) with empty side info decodes as 26 ms of silence. */
function silentMp3(seconds) {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0xc4]);
  return Buffer.concat(Array.from({ length: Math.ceil((seconds * 44100) / 1152) }, () => frame));
}

/** A tiny MP4 (ftyp box first, moov before mdat) generated once with ffmpeg from its test sources. */
export const demoVideo = () => readFileSync(path.join(root, "scripts", "demo-media", "lesson.mp4"));

/** The demo courses' cover: its R2 key and the path the courses' coverUrl names (as worker/courses/covers.ts does). */
export function demoCover() {
  const body = readFileSync(path.join(root, "scripts", "demo-media", "cover.png"));
  const hash = createHash("sha256").update(body).digest("hex");
  return { key: `covers/${hash}.png`, coverUrl: `/media/covers/${hash}.png`, contentType: "image/png", body };
}

/** The same ids and keys as the seed's lessons. */
export function demoMedia() {
  const out = [];
  const video = demoVideo();
  for (const c of demoCourses) {
    c.chapters.forEach((ch, hi) =>
      ch.lessons.forEach((l, li) => {
        const lessonId = `${c.id}-ch${hi + 1}-l${li + 1}`;
        const ext = l.kind === "video" ? "mp4" : l.kind === "audio" ? "m4a" : "md";
        const key = `demo/${lessonId}.${ext}`;
        if (l.kind === "article") {
          const body = `# ${l.title}\n\n《${c.title}》· ${ch.title}\n\n这是演示用的图文课内容。管理员可以用 \`PUT /api/admin/lessons/${lessonId}/media\` 上传正式稿件（Markdown、HTML 或纯文本）。\n`;
          out.push({ lessonId, key, contentType: "text/markdown", body: Buffer.from(body) });
        } else if (l.kind === "audio") {
          out.push({ lessonId, key, contentType: "audio/mpeg", body: silentMp3(5) });
        } else {
          out.push({ lessonId, key, contentType: "video/mp4", body: video });
        }
      }),
    );
  }
  return out;
}

/** @param {{ persistTo?: string }} [options] a local state directory other than `.wrangler/state` */
export async function seedMediaLocal(options = {}) {
  const dir = path.join(root, ".wrangler", "demo-media");
  await mkdir(dir, { recursive: true });
  const media = demoMedia();
  const cover = demoCover();
  const byType = new Map([[cover.contentType, [{ key: cover.key, file: path.join(dir, "cover.png") }]]]);
  await writeFile(path.join(dir, "cover.png"), cover.body);
  for (const m of media) {
    const file = path.join(dir, m.key.replaceAll("/", "_"));
    await writeFile(file, m.body);
    byType.set(m.contentType, [...(byType.get(m.contentType) ?? []), { key: m.key, file }]);
  }
  for (const [contentType, entries] of byType) {
    const manifest = path.join(dir, `manifest-${contentType.replace("/", "-")}.json`);
    await writeFile(manifest, JSON.stringify(entries));
    await runWrangler(["r2", "bulk", "put", BUCKET, "--local", ...localStateArgs(options), "--ct", contentType, "--filename", manifest]);
  }
  const updates = media.map(
    (m) => `UPDATE lessons SET media_content_type = '${m.contentType}', media_bytes = ${m.body.length} WHERE id = '${m.lessonId}' AND media_key = '${m.key}'`,
  );
  // Only a course still without a cover gets the demo one (an operator's upload is kept).
  const ids = demoCourses.map((c) => `'${c.id}'`).join(", ");
  updates.push(`UPDATE courses SET cover_url = '${cover.coverUrl}' WHERE id IN (${ids}) AND cover_url = ''`);
  await runWrangler(["d1", "execute", "DB", "--local", ...localStateArgs(options), "--command", updates.join("; ")]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await seedMediaLocal();
