import { AuthUser } from '../auth-user';
import { VerifiedTokens } from './verified-tokens';

const user: AuthUser = { id: 'u1', username: 'ann', email: 'a@example.com', roles: ['user'], emailVerified: true, sessionId: 's1' };
const live = () => true;
const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

describe('VerifiedTokens', () => {
  it('a token remembered after verification - answered from memory with its user', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('a.b.c', 'kid1', inSeconds(60), user);
    expect(tokens.get('a.b.c', live)).toBe(user);
    expect(tokens.get('a.b.d', live)).toBeUndefined();
  });

  it('an expired token - not answered, and forgotten', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('a.b.c', 'kid1', inSeconds(-1), user);
    expect(tokens.get('a.b.c', live)).toBeUndefined();
  });

  it('a token whose key was retired since - not answered, and forgotten even if the key came back', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('a.b.c', 'kid1', inSeconds(60), user);
    const asked: string[] = [];
    expect(tokens.get('a.b.c', (kid) => (asked.push(kid), false))).toBeUndefined();
    expect(asked).toEqual(['kid1']);
    expect(tokens.get('a.b.c', live)).toBeUndefined();
  });

  it('past 10,000 tokens - the oldest is forgotten first, so memory stays bounded', () => {
    const tokens = new VerifiedTokens();
    for (let i = 0; i <= 10_000; i++) tokens.remember(`t${i}`, 'kid1', inSeconds(60), user);
    expect(tokens.get('t0', live)).toBeUndefined();
    expect(tokens.get('t1', live)).toBe(user);
    expect(tokens.get('t10000', live)).toBe(user);
  });
});
