import { fileURLToPath } from 'node:url';
import { printTable } from './table.js';

/** CPU profiles of the server side of `pnpm bench api` (--cpu-prof): what dominates each scenario. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where a function lives: a package under node_modules, a workspace package, or a Node/V8 category. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(REPO_ROOT)) return path.slice(REPO_ROOT.length).split('/').slice(0, 2).join('/');
  return path;
}

export function summariseProfile(name: string, profile: CpuProfile): void {
  const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const module = moduleOf(url, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + hits);
    const fn = `${functionName || '(anonymous)'} ${url ? `${module}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, hits]) => [k, `${((hits / totalHits) * 100).toFixed(1)}%`]);
  console.log(`\nserver CPU profile, ${name} (self time; ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s):`);
  printTable(['where', 'self'], top(byModule, 14));
  printTable(['function', 'self'], top(byFunction, 16));
}
