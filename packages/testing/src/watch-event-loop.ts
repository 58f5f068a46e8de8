/**
 * Watches how long the event loop is held up: `stop()` returns the largest gap between ticks of a
 * 10 ms interval since the watch began (a loop that is never blocked gives about 10 ms).
 */
export function watchEventLoop(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(max, performance.now() - last);
    },
  };
}
