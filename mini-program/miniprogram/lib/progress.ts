/**
 * Learning progress as the player reports it (POST /api/lessons/:id/progress): at most once per interval
 * while playing, and right away when the page hides or closes, never the same position twice in a row.
 */
export const PROGRESS_INTERVAL_MS = 15_000;

export class ProgressReporter {
  private lastSentAt = -Infinity;
  private lastSentSec: number | null = null;
  private latestSec: number | null = null;
  private inFlight: Promise<void> | null = null;
  private flushAfter = false;

  constructor(
    private readonly send: (positionSec: number) => Promise<unknown>,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  /** The player's current position (timeupdate); sends when the interval has passed. */
  update(positionSec: number): Promise<void> {
    if (!(positionSec >= 0) || !Number.isFinite(positionSec)) return Promise.resolve();
    this.latestSec = Math.floor(positionSec);
    if (this.now() - this.lastSentAt < this.intervalMs) return Promise.resolve();
    return this.flush();
  }

  /**
   * Sends the latest position now (pause, ended, onHide, onUnload), unless it was already sent. One report
   * at a time: a flush while one is on its way sends the newest position right after it.
   */
  flush(): Promise<void> {
    if (this.inFlight) {
      this.flushAfter = true;
      return this.inFlight;
    }
    const sec = this.latestSec;
    if (sec === null || sec === this.lastSentSec) return Promise.resolve();
    this.lastSentAt = this.now();
    this.lastSentSec = sec;
    this.inFlight = this.send(sec)
      .then(() => undefined)
      .catch(() => {
        // Lost progress is retried with the next position; a member is never bothered with it.
        this.lastSentSec = null;
      })
      .then(() => {
        this.inFlight = null;
        if (!this.flushAfter) return;
        this.flushAfter = false;
        return this.flush();
      });
    return this.inFlight;
  }
}

/** Where to start: the saved position, unless the lesson was finished (then from the beginning). */
export function resumePosition(progress: { positionSec: number; completed: boolean } | null | undefined, durationSec: number): number {
  if (!progress || progress.completed) return 0;
  const p = Math.max(0, Math.floor(progress.positionSec));
  // A position in the last few seconds would end the lesson at once.
  return durationSec > 0 && p >= durationSec - 3 ? 0 : p;
}

/** 3 of 8 lessons → 38 (%). */
export function percentComplete(completed: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.round((completed / total) * 100));
}

/** 1 → "0:01", 754 → "12:34". */
export function clock(sec: number): string {
  const s = Math.max(0, Math.floor(sec || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

type LessonProgressLike = { id: string; progress?: { completed: boolean } | null };

/** Where 开始学习 goes: the first lesson not finished yet, or the first lesson when all are done. */
export function startLessonId(chapters: { lessons: LessonProgressLike[] }[]): string | null {
  const lessons = chapters.reduce<LessonProgressLike[]>((all, ch) => all.concat(ch.lessons), []);
  const next = lessons.find((l) => !l.progress?.completed) ?? lessons[0];
  return next ? next.id : null;
}
