import { describe, expect, it } from 'vitest';
import { checkFeedUrl, MAX_FEED_URL_LENGTH } from './feed-url.js';

describe('checkFeedUrl', () => {
  it('gives the stored form of a feed URL: no fragment, no empty query, host lower-cased', () => {
    expect(checkFeedUrl('  HTTPS://News.Example/a/../feed.xml?&#top ')).toEqual({ url: 'https://news.example/feed.xml' });
    expect(checkFeedUrl('http://news.example/rss?section=world')).toEqual({ url: 'http://news.example/rss?section=world' });
  });

  it('says why a URL cannot be subscribed to, never repeating it', () => {
    expect(checkFeedUrl('/relative/feed.xml')).toEqual({ reason: 'not an absolute URL' });
    expect(checkFeedUrl('javascript:alert(1)')).toEqual({ reason: 'only http and https feeds, not javascript:' });
    expect(checkFeedUrl(`https://news.example/${'a'.repeat(MAX_FEED_URL_LENGTH)}`)).toEqual({ reason: `URL longer than ${MAX_FEED_URL_LENGTH} characters` });
    const secret = checkFeedUrl('https://reader:s3cret@private.example/feed.xml');
    expect(secret).toEqual({ reason: 'a user name or password in the URL is not supported' });
    expect(checkFeedUrl('https://reader@private.example/feed.xml')).toEqual(secret);
  });
});
