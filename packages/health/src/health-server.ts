import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthMonitor } from './health-monitor.js';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` (the process answers) and `/readyz` (Postgres and Redis answer and the service's own
 * checks pass; 503 with the reasons otherwise) for services without the API's HTTP server: the
 * poller and the normalizer, for compose's health checks. Nothing else is served.
 */
export async function startHealthServer(options: { port: number; host: string; monitor: HealthMonitor }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: { code: 'method_not_allowed', message: 'only GET' } });
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/readyz') {
      options.monitor.check().then(
        (readiness) => send(readiness.ready ? 200 : 503, { status: readiness.ready ? 'ok' : 'unavailable', checks: readiness.checks }),
        (error: Error) => send(503, { status: 'unavailable', checks: { monitor: error.message } }),
      );
      return;
    }
    send(404, { error: { code: 'not_found', message: 'this port serves /healthz and /readyz only' } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
