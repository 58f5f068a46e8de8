export { isConnectionError } from './connection-error.js';
export {
  createHealthMonitor,
  type CheckResult,
  type Dependency,
  type HealthMonitor,
  type HealthMonitorOptions,
  type HealthReporter,
  type MonitoredPool,
  type MonitoredRedis,
  type Readiness,
} from './health-monitor.js';
export { startHealthServer, type HealthServer } from './health-server.js';
