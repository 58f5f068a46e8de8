#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '@newsfold/config';
import { NewsfoldError } from '@newsfold/errors';
import { createLogger, type Logger } from '@newsfold/logging';
import pino from 'pino';
import { CliError } from './cli-error.js';
import { demo } from './commands/demo.js';
import { feedsAdd, feedsList, feedsRemove } from './commands/feeds.js';
import { opmlExport, opmlImport } from './commands/opml.js';
import { parseInput } from './commands/parse.js';
import { pollOnce } from './commands/poll.js';
import { serve } from './commands/serve.js';
import { topicsList, topicsRemove, topicsSet } from './commands/topics.js';
import { fetchOptions, openRuntime, requireRedis, type Runtime } from './runtime.js';
import { prepareDatabase } from './start-services.js';
import { VERSION } from './version.js';

const USAGE = `newsfold ${VERSION}: folds the same news story from many outlets into one

Usage: newsfold <command> [options]

Services
  all                          migrations, then api + poller + normalizer in one process
  api | poller | normalizer    one service
  migrate                      create the database if missing, apply migrations, exit
  demo [--feeds-port N]        serve sample outlets on loopback and run everything

Subscriptions and topics
  feeds add URL [--tag T]…     subscribe to a feed
  feeds list                   feeds with their fetch state
  feeds remove ID              unsubscribe (deletes the feed's articles)
  opml import FILE | export    OPML 2.0 in and out
  topics set SLUG [--query Q] [--tag T]… [--min-sources N] [--title T] [--description D]
                               create or change a topic (and rebuild its stories); what is
                               not given stays as it was, an empty value ('') clears it
  topics list
  topics remove SLUG           delete a topic (the built-in "all" stays)

Fetching
  poll --once [--wait]         fetch every feed now; --wait returns when normalisation is done
  parse FILE|URL…              print the parsed feed as JSON (one line per input for several)

Configuration comes from the environment; see the README's table.`;

/**
 * Opens connections for a one-shot command. The schema is brought up to date first, so commands
 * work on a fresh database; only `migrate` creates a missing one.
 */
async function withRuntime<T>(
  config: Config,
  log: Logger,
  fn: (rt: Runtime) => Promise<T>,
  options: { createDatabase?: boolean; redis?: boolean } = {},
): Promise<T> {
  const rt = openRuntime(config, log);
  try {
    await prepareDatabase(rt, { create: options.createDatabase ?? false });
    if (options.redis) await requireRedis(rt);
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tag: { type: 'string', multiple: true },
      query: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      'min-sources': { type: 'string' },
      once: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      'feeds-port': { type: 'string', default: '8090' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  const config = loadConfig();
  const isService = ['all', 'api', 'poller', 'normalizer', 'demo'].includes(command);
  // Services log to stdout (collected by compose); one-shot commands keep stdout for their output.
  const log = createLogger({ level: config.logLevel, name: isService ? command : 'cli' }, isService ? undefined : pino.destination(2));
  const print = (text: string) => process.stdout.write(`${text}\n`);

  switch (command) {
    case 'all':
    case 'api':
    case 'poller':
    case 'normalizer': {
      const rt = openRuntime(config, log);
      try {
        await serve(rt, command === 'all' ? { api: true, poller: true, normalizer: true } : { [command]: true });
      } finally {
        await rt.close();
      }
      return 0;
    }
    case 'migrate':
      await withRuntime(config, log, async () => print('database is up to date'), { createDatabase: true });
      return 0;
    case 'demo':
      await demo(config, log, { feedsPort: Number(values['feeds-port']) });
      return 0;
    case 'feeds': {
      // Usage is checked before connecting: a typo is not answered with a database problem.
      const [target] = rest;
      if (!((sub === 'add' || sub === 'remove') && target) && sub !== 'list') {
        throw new CliError('usage', 'usage: newsfold feeds add URL [--tag T]… | feeds list | feeds remove ID', 2);
      }
      return withRuntime(config, log, async (rt) => {
        if (sub === 'list') print(await feedsList(rt));
        else if (sub === 'add') print(await feedsAdd(rt, target ?? '', values.tag ?? []));
        else print(await feedsRemove(rt, target ?? ''));
        return 0;
      });
    }
    case 'topics': {
      const [slug] = rest;
      if (!((sub === 'set' || sub === 'remove') && slug) && sub !== 'list') {
        throw new CliError('usage', 'usage: newsfold topics set SLUG [--query Q] [--tag T]… [--min-sources N] [--title T] [--description D] | topics list | topics remove SLUG', 2);
      }
      return withRuntime(config, log, async (rt) => {
        if (sub === 'list') print(await topicsList(rt));
        else if (sub === 'remove') print(await topicsRemove(rt, slug ?? ''));
        else {
          print(
            await topicsSet(rt, slug ?? '', {
              ...(values.tag !== undefined ? { tags: values.tag } : {}),
              ...(values.query !== undefined ? { query: values.query } : {}),
              ...(values['min-sources'] !== undefined ? { minSources: values['min-sources'] } : {}),
              ...(values.title !== undefined ? { title: values.title } : {}),
              ...(values.description !== undefined ? { description: values.description } : {}),
            }),
          );
        }
        return 0;
      });
    }
    case 'opml': {
      const [file] = rest;
      if (!(sub === 'import' && file) && sub !== 'export') throw new CliError('usage', 'usage: newsfold opml import FILE | opml export', 2);
      return withRuntime(config, log, async (rt) => {
        if (sub === 'export') process.stdout.write(await opmlExport(rt));
        else print(await opmlImport(rt, file ?? ''));
        return 0;
      });
    }
    case 'poll':
      if (!values.once) throw new CliError('usage', 'usage: newsfold poll --once [--wait] (the poller service polls continuously)', 2);
      return withRuntime(config, log, async (rt) => {
        const summary = await pollOnce(rt, { wait: values.wait });
        print(
          `polled ${summary.feeds} feeds: ${Object.entries(summary.outcomes)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ') || 'nothing to do'}`,
        );
        return 0;
      }, { redis: true });
    case 'parse': {
      const inputs = [sub, ...rest].filter((x): x is string => x !== undefined);
      if (inputs.length === 0) throw new CliError('usage', 'usage: newsfold parse FILE|URL…', 2);
      let failed = 0;
      for (const input of inputs) {
        const output = await parseInput(input, fetchOptions(config));
        if ('error' in output) failed += 1;
        print(inputs.length === 1 ? JSON.stringify(output, null, 2) : JSON.stringify(output));
      }
      return failed > 0 ? 1 : 0;
    }
    default:
      throw new CliError('usage', `unknown command "${command}"; newsfold --help lists them`, 2);
  }
}

/** Connection and database failures in words an operator can act on; anything else with its stack. */
function describeFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  if (code === '3D000') return `${message}: check DATABASE_URL, or create it with newsfold migrate`;
  const syscall = (error as { syscall?: string }).syscall;
  if (code === 'EADDRNOTAVAIL' && syscall === 'listen') return `${message}: HOST is not an address of this machine`;
  const hostname = (error as { hostname?: string }).hostname;
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && hostname !== undefined && hostname === process.env.HOST) {
    return `${message}: HOST does not name this machine`;
  }
  if (code === 'EADDRINUSE') return `${message}: another process holds that port; set PORT (or HOST) to a free one`;
  if (code === 'EACCES' && /listen/.test(message)) return `${message}: ports below 1024 need privileges; set PORT to 1024 or above`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `cannot connect (${message}): is Postgres running and DATABASE_URL right?`;
  }
  if (code === '28P01' || code === '28000') return `Postgres refused the login (${message}): check DATABASE_URL`;
  return (error as Error).stack ?? String(error);
}

/**
 * Exits once stdout and stderr have handed everything over: process.exit alone drops what a pipe
 * has not taken yet (`opml export | gzip` lost all but the first 64 KB).
 */
function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/** What the user reads when a command fails, and its exit status. */
function failure(error: unknown): [message: string, code: number] {
  if (error instanceof ConfigError) return [error.message, 2];
  if (error instanceof CliError) return [error.message, error.exitCode];
  if (error instanceof NewsfoldError) return [`${error.code}: ${error.message}`, 1];
  if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return [(error as Error).message, 2];
  return [describeFailure(error), 1];
}

main(process.argv.slice(2)).then(exitWhenFlushed, (error: unknown) => {
  const [message, code] = failure(error);
  process.stderr.write(`newsfold: ${message}\n`);
  exitWhenFlushed(code);
});
