/**
 * Splits `totalFen` over integer `weights` by the largest-remainder (Hamilton) method: each part gets
 * the floor of its exact quota, and the fen left over go one each to the largest remainders, ties to
 * the earlier index. The parts always sum to the whole and the result depends only on the inputs.
 * BigInt keeps `total × weight` exact beyond 2^53.
 */
export function splitLargestRemainder(totalFen: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) throw new RangeError(`totalFen must be a non-negative integer, got ${totalFen}`);
  if (weights.length === 0) throw new RangeError("at least one weight is required");
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers, got ${w}`);
  }
  const sum = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (sum === 0n) throw new RangeError("weights must not all be zero");

  const total = BigInt(totalFen);
  const parts = weights.map((w) => (total * BigInt(w)) / sum);
  const remainders = weights.map((w, index) => ({ index, remainder: (total * BigInt(w)) % sum }));
  let left = Number(total - parts.reduce((a, p) => a + p, 0n));
  // left < weights.length, since each floor loses less than one fen.
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0) break;
    parts[index] += 1n;
    left--;
  }
  return parts.map(Number);
}
