import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines and redacts secrets', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info({ config: { adminToken: 'sekrit-token-123456', databaseUrl: 'postgres://u:pw@h/db', port: 1 } }, 'started');
    log.child({ feedId: '7', jobId: 'j1' }).info({ headers: { authorization: 'Bearer x' } }, 'fetching');
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(JSON.stringify(first)).not.toContain('sekrit');
    expect(JSON.stringify(first)).not.toContain('pw@');
    expect(first).toMatchObject({ msg: 'started', config: { port: 1, adminToken: '[redacted]' } });
    expect(second).toMatchObject({ feedId: '7', jobId: 'j1', headers: { authorization: '[redacted]' } });
  });

  it('honours the level', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'warn' }, stream);
    log.info('hidden');
    log.warn('shown');
    expect(lines).toHaveLength(1);
  });
});
