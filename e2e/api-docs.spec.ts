import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ApiDocsPage } from './pages/api-docs.page';

/** What the page must never cause: a CSP violation, a script error, or a request to another origin. */
async function watchForProblems(page: Page, origin: string): Promise<string[]> {
  const problems: string[] = [];
  // Every CSP violation, reported from inside the page as well as by Chromium's own console message.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      ),
    );
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} from ${response.url()}`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin) problems.push(`request to another origin: ${request.url()}`);
  });
  return problems;
}

test('open /api/docs - Swagger UI renders every operation of the document, with no CSP violation', async ({ page, baseURL }) => {
  const problems = await watchForProblems(page, new URL(baseURL).origin);
  const description = await (await page.request.get('/api/openapi.json')).json();
  const described = Object.entries(description.paths as Record<string, object>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

  const docs = new ApiDocsPage(page);
  await docs.goto();
  await expect(docs.title).toBeVisible();
  await expect(docs.operations).toHaveCount(described.length);
  for (const operation of described) {
    const [method, path] = operation.split(' ');
    await expect(docs.operation(method, path), operation).toBeVisible();
  }

  const login = await docs.expand('post', '/auth/login');
  await expect(login.getByText('Request body')).toBeVisible();
  for (const status of ['200', '401', '422', '429']) {
    await expect(login.locator(`tr.response[data-code="${status}"]`), `response ${status}`).toBeVisible();
  }
  // Read-only: no "Try it out" to send requests from the page.
  await expect(login.getByRole('button', { name: 'Try it out' })).toHaveCount(0);

  expect(problems).toEqual([]);
});
