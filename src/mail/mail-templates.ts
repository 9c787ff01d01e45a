/**
 * Every mail the app sends: `views/mail/<name>.text.hbs` and
 * `<name>.html.hbs` render its two parts, and this is its subject.
 */
export const MAIL_SUBJECTS = {
  'reset-password': 'Reset your Latchkey password',
  'password-changed': 'Your Latchkey password was changed',
  'second-factor-changed': 'Your Latchkey sign-in settings were changed',
  'verify-email': 'Confirm your email address for Latchkey',
  'confirm-email-change': 'Confirm your new email address for Latchkey',
  'email-change-requested': 'Someone asked to change the email address of your Latchkey account',
  'email-changed': 'The email address of your Latchkey account was changed',
  'account-deleted': 'Your Latchkey account was deleted',
} as const;

export type MailTemplate = keyof typeof MAIL_SUBJECTS;

export interface Mail {
  to: string;
  template: MailTemplate;
  /** What the templates show; `appUrl` is always added. Values are escaped in the HTML part. */
  variables: Record<string, string>;
}
