/**
 * The HTML body of one feed entry: the summary, then who covered the story, earliest first.
 * Every piece of text is HTML-escaped here; links are already vetted as http(s) by the caller
 * (a source without one is listed unlinked).
 * The output never contains "]]>" (every text ">" is escaped), so it is safe inside CDATA.
 */
import type { PreparedSource } from './prepare.js';
import { escapeHtml } from './sanitize.js';

export function coverageHtml(summary: string, sources: PreparedSource[], outletCount: number): string {
  const parts: string[] = [];
  if (summary !== '') parts.push(`<p>${escapeHtml(summary)}</p>`);
  if (sources.length > 0) {
    const noun = outletCount === 1 ? 'outlet' : 'outlets';
    parts.push(`<p>Covered by ${outletCount} ${noun}:</p>`);
    const items = sources.map((source, index) => sourceItemHtml(source, index === 0 && sources.length > 1));
    parts.push(`<ul>\n${items.join('\n')}\n</ul>`);
  }
  return parts.join('\n');
}

function sourceItemHtml(source: PreparedSource, first: boolean): string {
  const title = escapeHtml(source.title);
  let html = `<li><strong>${escapeHtml(source.outlet)}</strong>: ${source.url === null ? title : `<a href="${escapeHtml(source.url)}">${title}</a>`}`;
  if (source.publishedAt !== null) {
    html += ` · <time datetime="${source.publishedAt.toISOString()}">${humanUtc(source.publishedAt)}</time>`;
  }
  if (first) html += ' · <em>reported first</em>';
  return `${html}</li>`;
}

/** "2025-03-11 09:05 UTC" */
export function humanUtc(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`
  );
}
