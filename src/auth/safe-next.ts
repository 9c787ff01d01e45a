const ORIGIN = 'http://latchkey.invalid';
export const DEFAULT_NEXT = '/profile';

/**
 * Where to go after logging in: only a path on this site, never another
 * origin. Parsing with URL instead of pattern-matching catches the tricks a
 * browser would follow (`//evil`, `/\evil`, tabs and encoded variants),
 * because the browser parses the Location header the same way.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2048) return DEFAULT_NEXT;
  try {
    const url = new URL(next, ORIGIN);
    if (url.origin !== ORIGIN || next.includes('\\')) return DEFAULT_NEXT;
    // Dot segments can normalise into a protocol-relative path:
    // "/.//evil.example" becomes "//evil.example", another host.
    if (url.pathname.startsWith('//')) return DEFAULT_NEXT;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return DEFAULT_NEXT;
  }
}
