import type { Runtime } from '../runtime.js';
import { prepareDatabase, startServices } from '../start-services.js';

/** Runs services until SIGINT/SIGTERM, then drains workers and closes connections. */
export async function serve(
  rt: Runtime,
  which: { api?: boolean; poller?: boolean; normalizer?: boolean },
  options: { databasePrepared?: boolean } = {},
): Promise<void> {
  // Every service brings the schema up to date (advisory-locked, so replicas starting together are
  // safe); the api also does first-start setup, in startServices.
  if (!options.databasePrepared) await prepareDatabase(rt);
  const running = await startServices(rt, which);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      rt.log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const force = setTimeout(() => {
    rt.log.error('shutdown took over 15 s; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  await running.close();
}
