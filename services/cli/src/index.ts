export { openRuntime, fetchOptions, pollBounds, type Runtime } from './runtime.js';
export { startServices, prepareDatabase, type RunningServices } from './start-services.js';
export { applyFirstStart, STARTER_TOPICS, STARTER_OPML } from './first-start.js';
export { pollOnce, type PollSummary } from './commands/poll.js';
export { parseInput, type ParseOutput } from './commands/parse.js';
export { startDemoServer, fillDates, DEMO_FEEDS_DIR, type DemoServer } from './demo-server.js';
export { demoConfig } from './commands/demo.js';
