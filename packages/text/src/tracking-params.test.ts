import { describe, expect, it } from 'vitest';
import { isTrackingParam } from './tracking-params.js';

describe('isTrackingParam', () => {
  it('recognises every utm_* parameter, case-insensitively', () => {
    for (const name of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'UTM_Whatever']) {
      expect(isTrackingParam(name)).toBe(true);
    }
  });

  it('keeps parameters that merely resemble trackers', () => {
    for (const name of ['utm', 'id', 'page', 'ref', 'source', 'gclid_x', 'xfbclid', 's', 'cid']) {
      expect(isTrackingParam(name)).toBe(false);
    }
  });
});
