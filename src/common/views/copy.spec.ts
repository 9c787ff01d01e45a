import { durationText, lookUp } from './copy';

describe('durationText', () => {
  it.each([
    [900, '15 minutes'],
    [60, '1 minute'],
    [1, '1 second'],
    [45, '45 seconds'],
    [3600, '1 hour'],
    [5400, '2 hours'],
  ])('%i seconds - "%s"', (seconds, text) => expect(durationText(seconds)).toBe(text));
});

describe('lookUp', () => {
  it('a dotted key - its text', () => expect(lookUp('form.problem')).toBe('There is a problem'));
  it('an unknown key - the key itself, so the gap is visible', () => expect(lookUp('nav.nope')).toBe('nav.nope'));
});
