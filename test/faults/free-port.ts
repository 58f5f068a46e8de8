import net from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, for a server the test starts as a child process (which
 * cannot report an ephemeral port back). Another process could take it before the child binds;
 * the children fail loudly when that happens, and on a test machine it does not.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
