import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

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

/** A resident ID number with its GB 11643 check digit, as the courts' data has them. */
export function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The demo's showcase subjects (crates/server/src/seed.rs). */
export const showcase = {
  listed: { name: '陈小明', id: idNumber('33022519850612123'), case: '(2024)浙0225执1234号' },
  company: { name: '宁波海丰贸易有限公司' },
  deleted: { name: '李建国', id: idNumber('33010619721003311') },
  grace: { name: '张伟强', id: idNumber('11010519800119055') },
};
