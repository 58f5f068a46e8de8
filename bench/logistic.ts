/**
 * Weighted L2-regularised logistic regression by Newton's method: small, exact, and deterministic
 * (no learning rate, no shuffling), which is what fitting half a dozen coefficients needs.
 */

export interface Sample {
  x: readonly number[];
  y: 0 | 1;
  weight: number;
}

export interface LogisticFit {
  intercept: number;
  weights: number[];
  iterations: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is small and symmetric positive definite here). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]?.[col] as number) > Math.abs(m[pivot]?.[col] as number)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = m[col] as number[];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - f * (p[c] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number));
}

export function fitLogistic(samples: readonly Sample[], lambda = 1e-3, maxIterations = 50): LogisticFit {
  const d = (samples[0]?.x.length ?? 0) + 1;
  let w = new Array<number>(d).fill(0);
  const total = samples.reduce((s, x) => s + x.weight, 0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const g = w.map((wi, i) => (i === 0 ? 0 : lambda * wi * total));
    const h = w.map((_, i) => w.map((__, j) => (i === j && i > 0 ? lambda * total : 0)));
    for (const s of samples) {
      const x = [1, ...s.x];
      const p = sigmoid(x.reduce((z, xi, i) => z + xi * (w[i] as number), 0));
      const r = s.weight * (p - s.y);
      const c = s.weight * p * (1 - p);
      for (let i = 0; i < d; i++) {
        g[i] = (g[i] as number) + r * (x[i] as number);
        const hi = h[i] as number[];
        for (let j = 0; j < d; j++) hi[j] = (hi[j] as number) + c * (x[i] as number) * (x[j] as number);
      }
    }
    const step = solve(h, g);
    w = w.map((wi, i) => wi - (step[i] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { intercept: w[0] as number, weights: w.slice(1), iterations };
}
