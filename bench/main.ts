import { clusterQuality } from './cluster-quality.js';

const USAGE = `usage: pnpm bench <name>
  cluster           story clustering quality (UCI B-cubed, STS-B similarity)
  cluster --scale   assignment throughput with 10k, 100k and 1M articles in the window
  cluster --demo    the demo feeds clustered in every feed order: B-cubed and distinct groupings
  cluster --rules   grouping rules compared offline on the labelled sets (average-link, gates)
  cluster --fit     fits the pair model on the corpora (logistic regression) and checks it
  ingest            feeds × items of real headlines through one OPML import, until all are in stories [--feeds N] [--items M]
  settle            the settle pass with 10k and 100k articles in the window [--max N]
  place             the placing rule alone, in memory, with 10k and 100k articles in the window [--max N]
  parse             feed parsing throughput: parseFeed against bare rss-parser
  fairness          a feed fetched after a huge one: how long its articles wait [--entries N]
  api               topic feed (200 and 304) and story API under load, against a bare Hono route
                    [--stories N] [--duration S] [--warmup S] [--connections N] [--cpu-prof [DIR]]`;

async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === 'cluster' && rest.includes('--scale')) {
    const { clusterScale } = await import('./cluster-scale.js');
    await clusterScale(rest);
  } else if (name === 'cluster' && rest.includes('--demo')) {
    await (await import('./cluster-demo.js')).clusterDemo();
  } else if (name === 'cluster' && rest.includes('--fit')) {
    (await import('./pair-fit.js')).fitPairModel();
  } else if (name === 'cluster' && rest.includes('--rules')) {
    (await import('./grouping-rules.js')).groupingRules();
  } else if (name === 'cluster') await clusterQuality();
  else if (name === 'ingest') await (await import('./ingest.js')).ingestBench(rest);
  else if (name === 'settle') await (await import('./settle-scale.js')).settleScale(rest);
  else if (name === 'place') await (await import('./place.js')).placeBench(rest);
  else if (name === 'parse') await (await import('./parse.js')).parseBench();
  else if (name === 'fairness') await (await import('./fairness.js')).fairnessBench(rest);
  else if (name === 'api') await (await import('./api.js')).apiBench(rest);
  else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

await main(process.argv.slice(2));
