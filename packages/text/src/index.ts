export { htmlToText } from './html-to-text.js';
export { cleanTitle } from './clean-title.js';
export { titleKey } from './title-key.js';
export { canonicalUrl } from './canonical-url.js';
export { isTrackingParam } from './tracking-params.js';
export { isHttpUrl } from './is-http-url.js';
export { siteKey } from './site-key.js';
export { removeControlChars } from './remove-control-chars.js';
