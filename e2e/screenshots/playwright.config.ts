import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

/**
 * `npm run screenshots`: the pictures of README.md and docs/architecture.md,
 * taken by a browser test against the real app (scripts/screenshots.ts
 * starts the database), so they show the pages as they are. Kept apart from
 * the suite: `npm test` never rewrites them.
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.shots.ts',
  workers: 1,
  reporter: 'list',
  timeout: 120_000,
});
