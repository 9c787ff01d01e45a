import type { Locator, Page, Response } from '@playwright/test';
import { SiteNav } from './site-nav';

/**
 * What the sign-up and log-in forms share: the error summary at the top (the
 * `alert` from partials/form-errors) and submitting while keeping the POST's
 * own response, whose status (303, 401, 409, 422) the contract fixes.
 */
export abstract class FormPage {
  readonly nav: SiteNav;
  /** The summary at the top of the form; field errors are each field's accessible description. */
  readonly errorSummary: Locator;

  protected constructor(
    readonly page: Page,
    private readonly action: string,
  ) {
    this.nav = new SiteNav(page);
    this.errorSummary = page.getByRole('alert');
  }

  /** A link in the summary that leads to the field with this error. */
  summaryLink(message: string | RegExp): Locator {
    return this.errorSummary.getByRole('link', { name: message });
  }

  /**
   * Clicks submit and returns the response to the POST itself (before any
   * redirect is followed), once the browser shows the page that answers it.
   * Waiting for the new document matters: a re-rendered form lives at the
   * same URL as the one just filled in, and checking the old one would pass
   * for the wrong reason.
   */
  protected async submitWith(button: Locator): Promise<Response> {
    const posted = this.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === this.action);
    const committed = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame() });
    await button.click();
    const response = await posted;
    await committed;
    await this.page.waitForLoadState('domcontentloaded');
    return response;
  }
}
