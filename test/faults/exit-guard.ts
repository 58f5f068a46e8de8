/**
 * Synchronous clean-ups run when the test process exits however it ends (a failed assertion, a
 * timeout, vitest tearing the worker down), so that no Postgres or Redis of a run outlives it.
 * Normal teardown unregisters its guard after cleaning up itself.
 */
const guards = new Set<() => void>();
let installed = false;

export function guardExit(cleanUp: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', () => {
      for (const guard of guards) {
        try {
          guard();
        } catch {
          // Exiting anyway: one failed clean-up must not stop the others.
        }
      }
    });
  }
  guards.add(cleanUp);
  return () => guards.delete(cleanUp);
}
