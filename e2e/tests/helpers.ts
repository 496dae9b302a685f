import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';

/** Opens a page in the given language (the portal remembers the choice in localStorage). */
export async function open(page: Page, path: string, lang: 'zh-CN' | 'en' = 'zh-CN') {
  // Only on the first load of the tab, so that a reload shows what the user chose since.
  const key = `e2e-lang-${Math.random()}`;
  await page.addInitScript(({ l, key }) => {
    if (!window.sessionStorage.getItem(key)) {
      window.localStorage.setItem('portal.lang', l);
      window.sessionStorage.setItem(key, '1');
    }
  }, { l: lang, key });
  await page.goto(path);
  await expect(page.locator('main#main')).toBeVisible();
}

/** Fails on any WCAG 2.1 A/AA violation axe-core finds on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(summary, summary.join('\n')).toEqual([]);
}

/** Saves a full-page screenshot as a test artefact (e2e/test-results/screenshots/). */
export async function snap(page: Page, info: TestInfo, name: string) {
  const file = `test-results/screenshots/${info.project.name}-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: 'image/png' });
}

type Subject = { name: string; id: string; case: string };

/**
 * The demo's showcase subjects, as `portal-server seed --showcase-out` wrote them for this run
 * (defined once, in crates/server/src/seed.rs).
 */
export const showcase: Record<'listed' | 'company' | 'minority' | 'deleted' | 'grace', Subject> =
  JSON.parse(readFileSync(process.env.SHOWCASE_JSON!, 'utf8'));
