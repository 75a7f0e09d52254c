/**
 * Amounts typed by admins are yuan with at most two decimals; money is integer fen everywhere else.
 * The conversion is done on the digits of the string, never through a float (0.29 * 100 = 28.999999999999996).
 */
const YUAN = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;

/** "12" → 1200, "12.3" → 1230, "0.01" → 1; null for anything else ("12.345", "-1", "1e3", "abc", ""). */
export function parseYuanToFen(text: string): number | null {
  const m = YUAN.exec(text.trim());
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** 1230 → "12.30" (for form values). */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** 1230 → "¥12.30", with thousands separators for the yuan part. */
export function formatFen(fen: number): string {
  const [yuan, cents] = fenToYuan(fen).split(".");
  return `¥${yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}
