/**
 * Query parameters that only tell the publisher (or an ad network) where a click came from. They
 * never change the page, so two links differing only in them are the same article. Compared
 * case-insensitively; every `utm_*` parameter counts.
 */
const TRACKING_PARAMS = new Set([
  'fbclid', // Facebook
  'gclid', 'dclid', 'gbraid', 'wbraid', // Google Ads / DoubleClick
  'msclkid', // Microsoft Ads
  'mc_cid', 'mc_eid', // Mailchimp
  'igshid', // Instagram
  'yclid', // Yandex
  '_hsenc', '_hsmi', // HubSpot
  'mkt_tok', // Marketo
  'ref_src', // Twitter/X
  'oly_anon_id', 'oly_enc_id', // Omeda
  'vero_id', // Vero
  '__s', // Drip
  's_cid', // Adobe
  'cmpid', // campaign ids (Adobe, many publishers)
]);

/** Whether a query parameter name (already percent-decoded) is a click/campaign tracker. */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}
