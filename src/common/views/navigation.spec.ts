import { navigation } from './navigation';

describe('navigation', () => {
  it('signed out on the login page - log in and sign up, log in marked current', () => {
    expect(navigation('/auth/login', { signedIn: false, isAdmin: false }).map((l) => [l.href, l.current])).toEqual([
      ['/auth/login', true],
      ['/auth/signup', false],
    ]);
  });

  it('a user on a page below a section - that section current, no admin link', () => {
    const links = navigation('/account/sessions/x', { signedIn: true, isAdmin: false });
    expect(links.map((l) => l.href)).toEqual(['/profile', '/account/sessions', '/account/password', '/account/security']);
    expect(links.filter((l) => l.current).map((l) => l.href)).toEqual(['/account/sessions']);
  });

  it('an admin - the admin link too', () => {
    expect(navigation('/admin/users', { signedIn: true, isAdmin: true }).at(-1)).toMatchObject({ href: '/admin/users', current: true });
  });

  it('a similar prefix - not current (/profiles is not /profile)', () => {
    expect(navigation('/profiles', { signedIn: true, isAdmin: false }).some((l) => l.current)).toBe(false);
  });
});
