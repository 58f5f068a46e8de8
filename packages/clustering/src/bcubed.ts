/**
 * B-cubed precision, recall and F1 of a clustering against gold labels (Bagga & Baldwin 1998):
 * for each item, the share of its predicted cluster that truly belongs with it (precision) and
 * the share of its true cluster that was put with it (recall), averaged over items.
 */
export function bcubed(predicted: readonly string[], gold: readonly string[]): { precision: number; recall: number; f1: number } {
  if (predicted.length !== gold.length) throw new RangeError('predicted and gold differ in length');
  const n = predicted.length;
  if (n === 0) return { precision: 1, recall: 1, f1: 1 };
  const pairCounts = new Map<string, number>();
  const predCounts = new Map<string, number>();
  const goldCounts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = predicted[i] as string;
    const g = gold[i] as string;
    const key = `${p}\u0000${g}`;
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
    predCounts.set(p, (predCounts.get(p) ?? 0) + 1);
    goldCounts.set(g, (goldCounts.get(g) ?? 0) + 1);
  }
  let precision = 0;
  let recall = 0;
  for (let i = 0; i < n; i++) {
    const p = predicted[i] as string;
    const g = gold[i] as string;
    const both = pairCounts.get(`${p}\u0000${g}`) ?? 0;
    precision += both / (predCounts.get(p) ?? 1);
    recall += both / (goldCounts.get(g) ?? 1);
  }
  precision /= n;
  recall /= n;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}
