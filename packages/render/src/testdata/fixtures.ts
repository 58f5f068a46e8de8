import type { RenderSource, RenderStory, TopicFeedInput } from '../types.js';

export const PUBLIC_URL = 'https://news.example.org/';
export const BASE = 'https://news.example.org';

export function source(outlet: string, url: string, publishedAt: string | null, title = `${outlet} headline`): RenderSource {
  return { outlet, title, url, publishedAt: publishedAt === null ? null : new Date(publishedAt) };
}

/** Newest activity first, as the API sends them. */
export function sampleStories(): RenderStory[] {
  return [
    {
      id: '101',
      title: 'US and Ukraine hold talks in Jeddah',
      summary: 'Officials met in Saudi Arabia to discuss a ceasefire.',
      firstSeenAt: new Date('2025-03-11T08:00:00Z'),
      updatedAt: new Date('2025-03-11T12:30:00Z'),
      sources: [
        source('The Harbour Times', 'https://harbour.example/world/jeddah-talks', '2025-03-11T08:00:00Z', 'US and Ukraine hold talks'),
        source('Daily Ledger', 'https://ledger.example/a/123?ref=rss&utm=x', '2025-03-11T09:15:00Z', 'Officials meet in Jeddah'),
        source('Kyiv Wire', 'http://kyivwire.example/news/77', '2025-03-11T12:30:00Z', 'Drone attack ahead of talks'),
      ],
    },
    {
      id: '102',
      title: 'Central bank holds rates',
      summary: null,
      firstSeenAt: new Date('2025-03-10T15:00:00Z'),
      updatedAt: new Date('2025-03-10T15:00:00Z'),
      sources: [source('Money Daily', 'https://money.example/rates', '2025-03-10T15:00:00Z')],
    },
    {
      id: '103',
      title: 'Storm reaches the coast',
      summary: 'Heavy rain expected.',
      firstSeenAt: new Date('2025-03-09T06:00:00Z'),
      updatedAt: new Date('2025-03-10T07:00:00Z'),
      sources: [
        source('Coast Courier', 'https://courier.example/storm', '2025-03-09T06:00:00Z'),
        source('Weather Now', 'https://weather.example/storm', '2025-03-10T07:00:00Z'),
      ],
    },
  ];
}

export function sampleInput(overrides: Partial<TopicFeedInput> = {}): TopicFeedInput {
  return {
    topic: { slug: 'world', title: 'World', description: 'World news, folded' },
    stories: sampleStories(),
    publicUrl: PUBLIC_URL,
    ttlMinutes: 15,
    ...overrides,
  };
}

/** Every source URL of the sample input, as it must appear in the output. */
export function sampleSourceUrls(): string[] {
  return sampleStories().flatMap((story) => story.sources.flatMap((s) => (s.url === null ? [] : [s.url])));
}
