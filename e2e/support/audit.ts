import { readFileSync } from 'node:fs';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';

/**
 * The checks every page state of the browser suite goes through
 * (docs/architecture.md): axe-core in the light and the dark theme, and the layout
 * at a phone's width and below.
 *
 * axe-core is run with page.evaluate of its source: the strict CSP refuses
 * inline scripts, so a <script> tag with its content would be blocked, while
 * an evaluate comes from the test, not from the page.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.2 A and AA, and axe's best practices (landmarks, one h1, …). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export const THEMES = ['light', 'dark'] as const;
/** A phone (iPhone 12 to 15), the narrowest phones, and 1280 px at 200% zoom. */
export const NARROW_WIDTHS = [390, 320, 640];
export const DESKTOP = { width: 1280, height: 800 };

async function axe(page: Page): Promise<Result[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    AXE_TAGS,
  );
  return results.violations;
}

/** "color-contrast (serious) on .alert a: Element has insufficient color contrast of 2.1 …", one line per node. */
function describe(violations: Result[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) on ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? v.help}`),
  );
}

/**
 * WCAG 1.4.11 and 2.4.7, which axe-core does not check: every text field's
 * border against the background around it, and the focus ring of every
 * element that Tab reaches, must be solid, at least 2 px and 3:1.
 * Checkboxes and radio buttons are drawn by the browser and left out.
 */
async function nonTextContrast(page: Page): Promise<string[]> {
  const failures: string[] = [];
  const measure = () =>
    page.evaluate(() => {
      const parse = (color: string): [number, number, number, number] => {
        const [r, g, b, a = 1] = (color.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number);
        return [r, g, b, a];
      };
      const luminance = ([r, g, b]: number[]) =>
        [r, g, b]
          .map((c) => c / 255)
          .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
      const ratio = (a: number[], b: number[]) => {
        const [x, y] = [luminance(a), luminance(b)];
        return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
      };
      /** The first opaque background at or above `el`. */
      const backdrop = (el: Element | null): number[] => {
        for (; el; el = el.parentElement) {
          const color = parse(getComputedStyle(el).backgroundColor);
          if (color[3] > 0.5) return color;
        }
        return parse(getComputedStyle(document.documentElement).backgroundColor);
      };
      const name = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}>${(el.textContent ?? '').trim().slice(0, 30)}`;
      const problems: string[] = [];
      for (const input of Array.from(
        document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([hidden])'),
      )) {
        const style = getComputedStyle(input);
        const r = ratio(parse(style.borderTopColor), backdrop(input.parentElement));
        if (r < 3) problems.push(`border of ${name(input)} is ${r.toFixed(2)}:1`);
      }
      const focused = document.activeElement;
      if (focused && focused !== document.body) {
        const style = getComputedStyle(focused);
        const r = ratio(parse(style.outlineColor), backdrop(focused.parentElement));
        if (style.outlineStyle !== 'solid' || parseFloat(style.outlineWidth) < 2 || r < 3) {
          problems.push(`focus ring of ${name(focused)}: ${style.outlineStyle} ${style.outlineWidth}, ${r.toFixed(2)}:1`);
        }
      }
      return { problems, focused: focused ? name(focused) + (focused as HTMLElement).getBoundingClientRect().top : '' };
    });
  const seen = new Set<string>();
  await page.locator('body').focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const { problems, focused } = await measure();
    failures.push(...problems);
    if (seen.has(focused)) break;
    seen.add(focused);
  }
  return [...new Set(failures)];
}

/** How far the page or any card's content reaches past the right edge of its box, in CSS pixels. */
async function overflow(page: Page): Promise<{ page: number; spills: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const spills: string[] = [];
    /** Clipped to nothing for screen readers only (.visually-hidden, a stacked table's header). */
    const visuallyHidden = (el: Element | null): boolean => {
      for (; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.clipPath !== 'none' || style.clip !== 'auto') return true;
      }
      return false;
    };
    for (const card of Array.from(document.querySelectorAll<HTMLElement>('.card, .hero, .nav'))) {
      const edge = card.getBoundingClientRect().right;
      for (const el of Array.from(card.querySelectorAll<HTMLElement>('*'))) {
        if (visuallyHidden(el)) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width > 0 && rect.right > edge + 1) {
          spills.push(
            `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> by ${Math.round(rect.right - edge)} px`,
          );
        }
      }
    }
    return { page: root.scrollWidth - root.clientWidth, spills };
  });
}

/**
 * Every check, for the page as it is now. The page keeps its state: the
 * viewport and colour scheme are changed in place, never reloaded, so states
 * that a POST produced (a form with errors) are audited too.
 */
export async function audit(page: Page, state: string): Promise<void> {
  const size = page.viewportSize() ?? DESKTOP;
  try {
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      expect.soft(describe(await axe(page)), `axe-core, ${theme} theme: ${state}`).toEqual([]);
      expect.soft(await nonTextContrast(page), `borders and focus rings, ${theme} theme: ${state}`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(DESKTOP);
    expect.soft((await overflow(page)).spills, `content inside its card at ${DESKTOP.width} px: ${state}`).toEqual([]);
    for (const width of NARROW_WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      const measured = await overflow(page);
      expect.soft(measured.page, `scrollWidth - clientWidth at ${width} px: ${state}`).toBeLessThanOrEqual(0);
      expect.soft(measured.spills, `content inside its card at ${width} px: ${state}`).toEqual([]);
    }
  } finally {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme: null });
  }
}

/**
 * What a visitor without JavaScript sees, in a form audit() can check:
 * Playwright cannot run axe-core, or even read the DOM, in a context with
 * JavaScript off, so instead the app's own page scripts are refused. The DOM
 * is then exactly the HTML the server sent, as without JavaScript.
 */
export async function blockPageScripts(context: BrowserContext): Promise<void> {
  await context.route(/\/(js|vendor)\//, (route) => route.abort());
}
