import { describe, expect, it } from 'vitest';
import { loggableUrl } from './loggable-url.js';

describe('loggableUrl', () => {
  it('keeps host and path, and drops credentials and query values (private feeds carry tokens there)', () => {
    expect(loggableUrl('https://reader:s3cret@news.example:8443/private/feed.xml?token=abc123&x=1#top')).toBe('news.example:8443/private/feed.xml?…');
    expect(loggableUrl('http://news.example/rss')).toBe('news.example/rss');
    expect(loggableUrl('not a url')).toBe('(not a URL)');
  });
});
