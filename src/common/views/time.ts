import { COPY } from './copy';

/** What the `time` partial shows: `<time datetime="…" title="exact">2 minutes ago</time>`. */
export interface TimeView {
  iso: string;
  relative: string;
  exact: string;
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
/**
 * The server cannot know the reader's time zone, so the exact time it writes
 * says UTC; public/js/page.js adds the time in the reader's own zone as a hover title.
 */
const EXACT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
const STEPS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [30, 'day'],
  [12, 'month'],
  [Infinity, 'year'],
];

/** "2 minutes ago", "yesterday", "in 3 days": the largest unit that fits, rounded down. */
export function relativeTime(date: Date, now = new Date()): string {
  let amount = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(amount) < 45) return COPY.time.justNow;
  for (const [size, unit] of STEPS) {
    if (Math.abs(amount) < size) return RELATIVE.format(Math.trunc(amount), unit);
    amount /= size;
  }
  return RELATIVE.format(Math.trunc(amount), 'year');
}

export function timeView(date: Date, now = new Date()): TimeView {
  return { iso: date.toISOString(), relative: relativeTime(date, now), exact: `${EXACT.format(date)} UTC` };
}
