export { startPoller, type Poller, type PollerOptions } from './poller.js';
export { fetchFeed, type FetchFeedDeps, type FetchFeedOutcome } from './fetch-feed.js';
export { tick, startScheduler, type SchedulerOptions } from './scheduler.js';
export * from './schedule.js';
export { acquireHostSlot, HostBusyError } from './host-slots.js';
