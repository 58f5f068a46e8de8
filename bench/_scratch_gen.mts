import { createRequire } from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseFeed } from '../packages/feed-parser/src/index.ts';
import { generatedFeed } from './parse.ts';
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const RssParser = createRequire(new URL('../packages/feed-parser/package.json', import.meta.url))('rss-parser');
const text = generatedFeed(5000, 5_000_000);
const bytes = new TextEncoder().encode(text);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const o: number[] = [], b: number[] = [], ow: number[] = [], bw: number[] = [];
for (let i = 0; i < 12; i++) {
  gc(); let s = cpu(); let w = performance.now(); await parseFeed(bytes, { fetchedAt: new Date('2100-01-01') }); const to = cpu() - s; const tow = performance.now() - w;
  gc(); s = cpu(); w = performance.now(); await new RssParser().parseString(text); const tb = cpu() - s; const tbw = performance.now() - w;
  if (i >= 3) { o.push(to); b.push(tb); ow.push(tow); bw.push(tbw); }
  console.log(i, to.toFixed(0), tb.toFixed(0), (to / tb).toFixed(2), 'wall', tow.toFixed(0), tbw.toFixed(0), (tow / tbw).toFixed(2));
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
console.log('cpu median ours', med(o).toFixed(0), 'bare', med(b).toFixed(0), 'ratio', (med(o) / med(b)).toFixed(2), 'min ratio', (Math.min(...o) / Math.min(...b)).toFixed(2));
console.log('wall median ours', med(ow).toFixed(0), 'bare', med(bw).toFixed(0), 'ratio', (med(ow) / med(bw)).toFixed(2), 'min ratio', (Math.min(...ow) / Math.min(...bw)).toFixed(2));
