/**
 * Where a feed is, for an operator reading the log: host and path. Not the query or any user
 * name and password: private feeds carry their tokens there.
 */
export function loggableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(not a URL)';
  }
}
