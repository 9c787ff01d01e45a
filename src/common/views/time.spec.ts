import { relativeTime, timeView } from './time';

describe('relativeTime', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it.each([
    [10, 'just now'],
    [120, '2 minutes ago'],
    [3 * 3600 + 59, '3 hours ago'],
    [86_400 + 60, 'yesterday'],
    [5 * 86_400, '5 days ago'],
    [40 * 86_400, 'last month'],
    [800 * 86_400, '2 years ago'],
  ])('%i seconds ago - "%s"', (seconds, text) => {
    expect(relativeTime(ago(seconds), now)).toBe(text);
  });

  it('a time in the future - "in …"', () => {
    expect(relativeTime(new Date(now.getTime() + 3 * 86_400_000), now)).toBe('in 3 days');
  });
});

describe('timeView', () => {
  it('a date - its ISO form for the datetime attribute and the exact UTC time for the tooltip', () => {
    const view = timeView(new Date('2026-11-30T09:05:00Z'), new Date('2026-11-30T09:07:00Z'));
    expect(view).toEqual({ iso: '2026-11-30T09:05:00.000Z', relative: '2 minutes ago', exact: '30 November 2026 at 09:05 UTC' });
  });
});
