import { DEFAULT_NEXT, safeNextPath } from './safe-next';

describe('safeNextPath', () => {
  it('DEFAULT_NEXT - is /profile', () => {
    expect(DEFAULT_NEXT).toBe('/profile');
  });

  it.each([
    ['/profile', '/profile'],
    ['/account/sessions?page=2', '/account/sessions?page=2'],
    ['/a/b#section', '/a/b#section'],
    ['/', '/'],
    ['/a/../b', '/b'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('a local path %s - returns %s', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    ['another origin', 'https://evil.example'],
    ['a protocol-relative URL', '//evil.example'],
    ['a protocol-relative URL with a path', '//evil.example/profile'],
    ['a backslash trick', '/\\evil.example'],
    ['a double backslash', '\\\\evil.example'],
    ['a tab inside //', '/\t/evil.example'],
    ['a newline inside //', '/\n/evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'profile'],
    ['a leading space', ' /profile'],
    ['an empty string', ''],
    ['an over-long path', `/${'a'.repeat(2048)}`],
  ])('%s (%j) - falls back to /profile', (_, next) => {
    expect(safeNextPath(next)).toBe('/profile');
  });

  it.each([undefined, null, 42, ['/a'], { path: '/a' }])('a non-string next (%p) - falls back to /profile', (next) => {
    expect(safeNextPath(next)).toBe('/profile');
  });

  /** A Location a browser resolves on this site: one slash, then not a second slash or backslash. */
  const LOCAL = /^\/(?![/\\])/;

  it.each([
    ['a dot segment', '/.//evil.example'],
    ['a dot-dot segment', '/a/..//evil.example/path'],
    ['an encoded dot-dot segment', '/%2e%2e//evil.example'],
    ['a dot-dot at the root', '/..//evil.example'],
  ])('%s that normalises to //host (%j) - never returns a protocol-relative URL', (_, next) => {
    expect(safeNextPath(next)).toMatch(LOCAL);
  });

  it('any of many tricky inputs - the result always starts with a single slash', () => {
    for (const next of ['//x', '/\\x', '///x', '/./x', '/%5C%5Cx', 'https:/x', '/\t\t/x', '/%2F/x']) {
      expect(safeNextPath(next)).toMatch(LOCAL);
    }
  });
});
