import { COPY } from './copy';

export interface NavLink {
  href: string;
  label: string;
  /** `aria-current="page"` (WCAG 1.3.1): the link of the page being shown, or of the section it belongs to. */
  current: boolean;
  /** Drawn as a button (the sign-up call to action). */
  button: boolean;
}

type Link = Omit<NavLink, 'current'>;

const SIGNED_OUT: Link[] = [
  { href: '/auth/login', label: COPY.nav.logIn, button: false },
  { href: '/auth/signup', label: COPY.nav.signUp, button: true },
];
const SIGNED_IN: Link[] = [
  { href: '/profile', label: COPY.nav.profile, button: false },
  { href: '/account/sessions', label: COPY.nav.sessions, button: false },
  { href: '/account/password', label: COPY.nav.password, button: false },
  { href: '/account/security', label: COPY.nav.security, button: false },
];
const ADMIN: Link = { href: '/admin/users', label: COPY.nav.admin, button: false };

/** The links of the navigation bar (the log-out button is nav.hbs's own). */
export function navigation(path: string, state: { signedIn: boolean; isAdmin: boolean }): NavLink[] {
  const links = !state.signedIn ? SIGNED_OUT : state.isAdmin ? [...SIGNED_IN, ADMIN] : SIGNED_IN;
  return links.map((link) => ({ ...link, current: path === link.href || path.startsWith(`${link.href}/`) }));
}
