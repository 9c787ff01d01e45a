import type { Locator, Page } from '@playwright/test';

/** What a page says after a form was sent: a role=status region that takes focus (views/partials/notice.hbs). */
export function notice(page: Page, text?: string | RegExp): Locator {
  const region = page.getByRole('main').getByRole('status');
  return text === undefined ? region : region.filter({ hasText: text });
}
