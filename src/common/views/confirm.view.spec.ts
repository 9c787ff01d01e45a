import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import hbs from 'hbs';
import { confirmPage } from './confirm.view';
import { registerViewHelpers } from './view-helpers';

const VIEWS = join(__dirname, '..', '..', '..', 'views');

/** Renders views/confirm.hbs as the app would (same partials and helpers), without a server. */
function render(model: object): string {
  for (const file of readdirSync(join(VIEWS, 'partials'))) {
    hbs.handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(VIEWS, 'partials', file), 'utf8'));
  }
  registerViewHelpers();
  return hbs.handlebars.compile(readFileSync(join(VIEWS, 'confirm.hbs'), 'utf8'))({ csrfToken: 'tok', ...model });
}

describe('confirmPage with views/confirm.hbs', () => {
  const page = confirmPage({
    question: 'Disable <b>eve</b>?',
    details: 'She will be logged out.',
    action: '/admin/users/abc/disable',
    fields: { returnTo: '/admin/users?q=eve' },
    confirmLabel: 'Disable eve',
    cancelHref: '/admin/users?q=eve',
  });

  it('a question - the title and h1, escaped', () => {
    expect(page.title).toBe('Disable <b>eve</b>?');
    expect(render(page)).toContain('<h1>Disable &lt;b&gt;eve&lt;/b&gt;?</h1>');
  });

  it('an action with fields - one POST form to it with _csrf and each field hidden, a button that says what it does, a cancel link', () => {
    const html = render(page);
    expect(html).toMatch(
      /<form method="post" action="\/admin\/users\/abc\/disable" novalidate>\s*<input type="hidden" name="_csrf" value="tok">/,
    );
    expect(html).toContain('<input type="hidden" name="returnTo" value="/admin/users?q&#x3D;eve">');
    expect(html).toContain('<button type="submit" class="button button--danger">Disable eve</button>');
    expect(html).toContain('<a href="/admin/users?q&#x3D;eve">Cancel, and go back</a>');
    expect(html).not.toContain('type="password"');
  });

  it('a password field with an error - the field, its message tied to it, and the error summary', () => {
    const withPassword = confirmPage({
      question: 'Delete your account?',
      details: 'This cannot be undone.',
      action: '/account/delete',
      confirmLabel: 'Delete my account',
      cancelHref: '/profile',
      passwordField: { name: 'currentPassword', label: 'Your password', autocomplete: 'current-password' },
    });
    const html = render({
      ...withPassword,
      errors: { currentPassword: 'Your password is not correct.' },
      errorList: [{ field: 'currentPassword', message: 'Your password is not correct.' }],
      formError: 'There is a problem',
    });
    expect(html).toMatch(/<input id="currentPassword" name="currentPassword" type="password" value="" autocomplete="current-password"/);
    expect(html).toContain('aria-describedby="currentPassword-error"');
    expect(html).toContain('<a href="#currentPassword">Your password is not correct.</a>');
    expect(html).toContain('<script src="/js/password.js" defer></script>');
  });
});
