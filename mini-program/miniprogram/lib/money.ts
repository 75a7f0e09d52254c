/**
 * Money arrives as an integer number of fen (分). It is shown as yuan with two decimals, computed with
 * integer arithmetic only, so ¥0.10 never turns into ¥0.09999.
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`Amounts are integer fen, got ${fen}`);
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}¥${groupThousands(yuan)}.${cents < 10 ? "0" : ""}${cents}`;
}

/** A course's price as a member reads it: free courses say 免费 rather than ¥0.00. */
export function priceLabel(fen: number): string {
  return fen === 0 ? "免费" : formatFen(fen);
}

function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
