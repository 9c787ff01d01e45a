/**
 * A confirmation step for a destructive action that works without
 * JavaScript: the action's button is a link to a GET page built from this
 * model, whose one form POSTs to the real action. The POST route itself is
 * unchanged, so API clients and scripts are not asked twice. docs/architecture.md
 * shows how a feature adds one.
 */
export interface ConfirmPage {
  title: string;
  confirm: {
    /** The page's h1, a question: "Log out everywhere else?" */
    question: string;
    /** What will happen, in a sentence or two. */
    details: string;
    /** Where the form POSTs: the action's own route. */
    action: string;
    /** Hidden fields the action expects (never a secret). */
    fields: { name: string; value: string }[];
    /** The button, which says what it does: "Log out everywhere else". */
    confirmLabel: string;
    /** Back to where the person came from, changing nothing. */
    cancelHref: string;
    /** A password field for actions that need one (Delete account). */
    passwordField?: { name: string; label: string; autocomplete: 'current-password' };
  };
}

export function confirmPage(options: {
  question: string;
  details: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
  fields?: Record<string, string>;
  passwordField?: ConfirmPage['confirm']['passwordField'];
}): ConfirmPage {
  return {
    title: options.question,
    confirm: {
      question: options.question,
      details: options.details,
      action: options.action,
      fields: Object.entries(options.fields ?? {}).map(([name, value]) => ({ name, value })),
      confirmLabel: options.confirmLabel,
      cancelHref: options.cancelHref,
      passwordField: options.passwordField,
    },
  };
}
