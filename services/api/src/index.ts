export { createApp } from './app.js';
export { startApi, type ApiServer } from './server.js';
export type { ApiDeps } from './deps.js';
export { HttpError } from './http-error.js';
export { importOutlines, type OpmlImportResult } from './opml-import.js';
