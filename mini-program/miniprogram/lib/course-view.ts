/** What the course pages show, computed from the worker's JSON (no formatting in templates). */
import type { ResponseOf } from "./api-types";
import { apiUrl } from "./api-url";
import { priceLabel } from "./money";

export type CourseSummary = ResponseOf<"/api/courses">["items"][number];
export type CourseDetail = ResponseOf<"/api/courses/{id}">;
type Lesson = CourseDetail["chapters"][number]["lessons"][number];

export type CourseCard = {
  id: string;
  title: string;
  subtitle: string;
  coverUrl: string;
  instructor: string;
  priceLabel: string;
  free: boolean;
};

/** The fields a card needs; a course's detail carries them too. */
type CardFields = Pick<CourseSummary, "id" | "title" | "subtitle" | "coverUrl" | "instructor" | "priceFen">;

export function courseCard(c: CardFields): CourseCard {
  return {
    id: c.id,
    title: c.title,
    subtitle: c.subtitle,
    coverUrl: apiUrl(c.coverUrl),
    instructor: c.instructor,
    priceLabel: priceLabel(c.priceFen),
    free: c.priceFen === 0,
  };
}

const KIND_LABELS: Record<string, string> = { video: "视频", audio: "音频", article: "图文" };

/** 75 → "1:15", 3723 → "1:02:03"; articles have no duration. */
export function formatDuration(totalSec: number): string {
  if (!(totalSec > 0)) return "";
  const s = Math.floor(totalSec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

export type LessonRow = { id: string; title: string; meta: string; trial: boolean; locked: boolean };

function lessonRow(l: Lesson, open: boolean): LessonRow {
  const meta = [KIND_LABELS[l.kind] ?? "", formatDuration(l.durationSec)].filter(Boolean).join(" · ");
  return { id: l.id, title: l.title, meta, trial: l.isTrial, locked: !open && !l.isTrial };
}

/** Why the member may learn the course, in their words; empty when they may not (yet). */
const OWNED_LABELS: Record<string, string> = { order: "已购买", tier: "已开通", admin: "已开通" };

export function courseDetailView(c: CourseDetail) {
  const card = courseCard(c);
  const free = card.free;
  const open = c.entitled || free;
  const ownedLabel = c.entitled && c.access ? (OWNED_LABELS[c.access] ?? "") : "";
  const lessons = c.chapters.reduce((n, ch) => n + ch.lessons.length, 0);
  return {
    ...card,
    description: c.description,
    entitled: c.entitled,
    ownedLabel,
    /** What the member can do: already theirs, free to learn, or to be bought. */
    accessLabel: ownedLabel || (free ? "免费学习" : `购买 ${card.priceLabel}`),
    lessonCount: `共 ${lessons} 节`,
    chapters: c.chapters.map((ch) => ({ id: ch.id, title: ch.title, lessons: ch.lessons.map((l) => lessonRow(l, open)) })),
  };
}

export type CourseDetailView = ReturnType<typeof courseDetailView>;
