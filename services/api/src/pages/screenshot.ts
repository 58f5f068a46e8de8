/**
 * Screenshots of the web pages (topics list, a topic, a story) in light and dark mode, at a
 * desktop and a phone width, through headless Chromium. A check for humans, not part of the
 * service: it needs `/usr/bin/chromium` and the `playwright-core` package, which newsfold does
 * not depend on, so it is loaded at run time only.
 *
 *   pnpm start        # or: pnpm demo — a running newsfold with some stories
 *   node --conditions=newsfold-source --import tsx services/api/src/pages/screenshot.ts \
 *     [BASE_URL=http://localhost:8080] [OUT_DIR=./screenshots]
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const PLAYWRIGHT = 'playwright-core';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** The little of playwright-core's API used here (it is not a dependency, so no types from it). */
interface Page {
  goto(url: string, options?: { waitUntil?: 'load' }): Promise<{ status(): number } | null>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  close(): Promise<void>;
}
interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Browser {
  newContext(options: { viewport: { width: number; height: number }; colorScheme: 'light' | 'dark' }): Promise<BrowserContext>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<Browser> };
}

/** True when both Chromium and playwright-core are there; tests skip the screenshots otherwise. */
export function screenshotAvailable(): boolean {
  if (!existsSync(CHROMIUM_PATH)) return false;
  try {
    createRequire(import.meta.url).resolve(PLAYWRIGHT);
    return true;
  } catch {
    return false;
  }
}

/** The pages to capture: `/`, `/topics/all`, and the first story the topic page links to. */
async function pagesToCapture(baseUrl: string): Promise<{ name: string; url: string }[]> {
  const topicUrl = new URL('topics/all', `${baseUrl.replace(/\/+$/, '')}/`).href;
  const pages = [
    { name: 'topics', url: new URL('/', topicUrl).href },
    { name: 'topic-all', url: topicUrl },
  ];
  const response = await fetch(topicUrl);
  if (!response.ok) throw new Error(`GET ${topicUrl} answered ${response.status}`);
  const story = /href="([^"]*\/stories\/\d+)"/.exec(await response.text())?.[1];
  if (story) pages.push({ name: 'story', url: new URL(story, topicUrl).href });
  else console.warn('no story on /topics/all yet: the story page is not captured');
  return pages;
}

/** Writes `{page}-{viewport}-{scheme}.png` files into `outDir`; returns their paths. */
export async function screenshotPages(baseUrl: string, outDir: string): Promise<string[]> {
  const specifier: string = PLAYWRIGHT; // a variable, so the compiler does not look for the package
  const { chromium } = (await import(specifier)) as Playwright;
  await mkdir(outDir, { recursive: true });
  const pages = await pagesToCapture(baseUrl);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const written: string[] = [];
  try {
    for (const viewport of VIEWPORTS) {
      for (const colorScheme of SCHEMES) {
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, colorScheme });
        try {
          for (const target of pages) {
            const page = await context.newPage();
            const response = await page.goto(target.url, { waitUntil: 'load' });
            if (response && response.status() !== 200) throw new Error(`GET ${target.url} answered ${response.status()}`);
            const path = join(outDir, `${target.name}-${viewport.name}-${colorScheme}.png`);
            await page.screenshot({ path, fullPage: true });
            await page.close();
            written.push(path);
          }
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  return written;
}

async function main(argv: string[]): Promise<number> {
  const [baseUrl = 'http://localhost:8080', outDir = 'screenshots'] = argv;
  if (!screenshotAvailable()) {
    console.error(`screenshots need ${CHROMIUM_PATH} and the ${PLAYWRIGHT} package (not a newsfold dependency)`);
    return 2;
  }
  for (const path of await screenshotPages(baseUrl, resolve(outDir))) console.log(path);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
