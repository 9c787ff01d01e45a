import type { Locator, Page } from '@playwright/test';

/** /api/docs: Swagger UI rendering the API description. */
export class ApiDocsPage {
  readonly title: Locator;
  /** One block per operation ("POST /auth/login"). */
  readonly operations: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByRole('heading', { name: /Latchkey API/ });
    this.operations = page.locator('.opblock');
  }

  async goto(): Promise<void> {
    await this.page.goto('/api/docs');
  }

  operation(method: string, path: string): Locator {
    return this.page.locator(`.opblock-${method.toLowerCase()}`).filter({ has: this.page.locator(`[data-path="${path}"]`) });
  }

  /** Opens an operation's details: parameters, request body and responses. */
  async expand(method: string, path: string): Promise<Locator> {
    const block = this.operation(method, path);
    await block.getByRole('button', { expanded: false }).first().click();
    return block;
  }
}
