/**
 * Splits `total` whole units among `weights` in proportion, exactly: each part is the floor of its exact
 * share, and the units left over go one each to the largest remainders (ties to the earlier part). The
 * parts always sum to `total`. Weights must be non-negative; when they are all zero every part is zero
 * (the caller decides where an undistributable total goes).
 */
export const largestRemainder = (total: bigint, weights: readonly bigint[]): bigint[] => {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weightSum === 0n || total === 0n) return weights.map(() => 0n);
  if (total < 0n) throw new RangeError("largestRemainder distributes a non-negative total only");
  const parts = weights.map((weight) => {
    if (weight < 0n) throw new RangeError("largestRemainder takes non-negative weights only");
    return (total * weight) / weightSum;
  });
  let left = total - parts.reduce((sum, part) => sum + part, 0n);
  const order = weights
    .map((weight, index) => ({ index, remainder: (total * weight) % weightSum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (left === 0n) break;
    parts[index] = (parts[index] as bigint) + 1n;
    left--;
  }
  return parts;
};
