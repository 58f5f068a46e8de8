import { wrapInlineMarkup } from '../packages/feed-parser/src/inline-markup.ts';
import { fixXmlEntities } from '../packages/feed-parser/src/xml-entities.ts';
import { mapOutsideCdata } from '../packages/feed-parser/src/cdata.ts';
import { generatedFeed } from './parse.ts';
const text = generatedFeed(5000, 5_000_000);
const which = process.argv[2];
function t(name: string, fn: () => unknown, reps = 30) {
  for (let i = 0; i < 3; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const s = performance.now(); fn(); ts.push(performance.now() - s); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(20), 'min', ts[0]!.toFixed(2), 'med', ts[ts.length >> 1]!.toFixed(2));
}
if (!which || which === 'id') t('identity', () => mapOutsideCdata(text, (s) => s));
if (!which || which === 'len') t('len', () => { let n = 0; mapOutsideCdata(text, (s) => { n += s.length; return s; }); return n; });
if (!which || which === 'ent') t('entities', () => fixXmlEntities(text));
if (!which || which === 'wrap') t('wrap', () => wrapInlineMarkup(text));
