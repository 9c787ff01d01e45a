import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/password-policy';

/**
 * Most of the words of the pages, so that a translation is one more object
 * of this shape (docs/architecture.md). Not all of them yet: page titles and
 * confirmation questions are still written in the controllers, page models
 * and filters that render them. Templates read them with the `t`
 * helper (`{{t "nav.profile"}}`); view models and filters import COPY.
 * Error messages that services throw live in each feature's error catalogue.
 */
export const COPY = {
  site: {
    name: 'Latchkey',
    tagline: 'sign up, log in, stay logged in safely',
    skipLink: 'Skip to main content',
  },
  nav: {
    label: 'Main',
    profile: 'Profile',
    sessions: 'Sessions',
    password: 'Password',
    security: 'Security',
    admin: 'Admin',
    logIn: 'Log in',
    signUp: 'Sign up',
    logOut: 'Log out',
  },
  form: {
    /** GOV.UK Design System, "Error summary". */
    problem: 'There is a problem',
    errorPrefix: 'Error:',
    showPassword: 'Show',
    hidePassword: 'Hide',
    showPasswordLabel: 'Show password',
    hidePasswordLabel: 'Hide password',
    passwordShown: 'Your password is visible',
    passwordHidden: 'Your password is hidden',
    passwordRules: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Not a common password and not your username.`,
    newPasswordRules: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Not a common password and not your username. Your other sessions will be logged out.`,
    usernameRules: '3 to 32 letters, digits, dots, underscores or hyphens.',
    /** zxcvbn's scores 0 to 4, separated by | for the page script. */
    strength: 'Very weak|Weak|Fair|Good|Strong',
    strengthLabel: 'Password strength:',
    strengthCommon: 'This is one of the most common passwords.',
  },
  errors: {
    titles: {
      400: 'Bad request',
      401: 'Please log in',
      403: 'Forbidden',
      404: 'Page not found',
      413: 'Too large',
      422: 'Check your input',
      429: 'Too many attempts',
      500: 'Something went wrong',
      503: 'Temporarily unavailable',
    } as Record<number, string>,
    fallbackTitle: 'Request refused',
    notFound: 'We could not find that page. Check the address, or start again from the home page.',
    sessionEnded: 'Your login has ended. Log in again to continue.',
    statusLine: 'Error',
    home: 'Back to the home page',
    backToForm: 'Back to the form',
  },
  /**
   * What a page says after a form was sent (see flash.ts). `{name}` is filled
   * in from the notice's parameters.
   */
  notices: {
    signedUp: 'Welcome, {name}. Your account is ready and you are logged in.',
    loggedOut: 'You are logged out.',
    sessionEnded: 'That session was ended. It can no longer be used.',
    othersLoggedOut: 'Every other session was logged out. Only this one is still logged in.',
    passwordChanged: 'Your password was changed, and every other session was logged out.',
    emailChangeCancelled:
      'The change of your email address was cancelled. If you did not ask for it, someone knows your password: choose a new one now.',
    userDisabled: '{name} was disabled and all of their sessions were ended.',
    userEnabled: '{name} was enabled and can log in again.',
    userSessionsEnded: 'All of {name}’s sessions were ended.',
    formNotSent: 'Your login had expired, so nothing was saved. Check the form and send it again.',
    formExpired: 'This form had expired, so nothing was saved. Check it and send it again.',
  },
  confirm: {
    cancel: 'Cancel, and go back',
  },
  time: {
    justNow: 'just now',
  },
} as const;

/**
 * "15 minutes", "1 hour", "30 seconds": for messages such as "Try again in
 * …", where a bare count of seconds (900) means nothing to a person.
 */
export function durationText(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const whole = Math.max(1, Math.ceil(seconds));
  for (const [size, name] of units) {
    if (whole >= size) {
      const count = Math.ceil(whole / size);
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${whole} seconds`;
}

/** `t "form.problem"`: a dotted path into COPY; an unknown key is a programming error, shown as the key. */
export function lookUp(key: string): string {
  let value: unknown = COPY;
  for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return typeof value === 'string' ? value : key;
}
