import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs at most `size` of the given tasks at once, in the order they were handed in, starting each
 * at least `gapMs` after the one before.
 */
export function createLimiter(size: number, gapMs = 0): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  let nextStart = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (running >= size) return;
    const start = queue.shift();
    if (!start) return;
    running += 1;
    const wait = Math.max(0, nextStart - Date.now());
    nextStart = Date.now() + wait + gapMs;
    void sleep(wait).then(start);
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            next();
          });
      });
      next();
    });
}
