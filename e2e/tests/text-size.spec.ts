import { expect, test, type Page } from '@playwright/test';
import { open, snap } from './helpers';

// The citizen pages of every bundle (the Leptos portal, the lite verify and publicity pages), and
// the staff console's sign-in, which has the same header and elder mode.
const pages = [
  '/',
  '/lookup',
  '/rewards',
  '/tips/new',
  '/tips/status',
  '/certificates',
  '/certificates/apply',
  '/certificates/status',
  '/parties',
  '/publicity',
  '/publicity/statistics',
  '/certificates/verify',
  '/staff/login',
];

/** How far the page reaches past the phone's width, in CSS pixels (0: nothing to scroll sideways). */
async function overflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test.describe('text size', () => {
  test.skip(({ isMobile }) => !isMobile, 'the phone is where text is enlarged');

  for (const path of pages) {
    test(`${path} holds its layout at 200 % text, as WeChat's largest font setting asks`, async ({ page }, info) => {
      // WeChat's font setting scales the browser's default size, which every rem follows.
      await page.addInitScript(() => {
        document.addEventListener('DOMContentLoaded', () => {
          document.documentElement.style.fontSize = '200%';
        });
      });
      await open(page, path);
      await page.waitForLoadState('networkidle');
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      expect(size).toBeGreaterThanOrEqual(31);
      expect(await overflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(1);
      if (path === '/' || path === '/certificates/apply') await snap(page, info, `text-200-${path === '/' ? 'home' : 'apply'}`);
    });
  }

  for (const path of pages) {
    test(`${path} in elder mode meets the MIIT numbers: text ≥ 18 px, lines ≥ 1.3, targets ≥ 60 px`, async ({ page }) => {
      await page.addInitScript(() => window.localStorage.setItem('portal.elder', '1'));
      await open(page, path);
      await page.waitForLoadState('networkidle');
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        const name = (e: Element) =>
          `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''}`;
        for (const e of Array.from(document.querySelectorAll('main *, header *'))) {
          const r = e.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          const s = getComputedStyle(e);
          if (s.visibility === 'hidden' || s.display === 'none') continue;
          const ownText = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim() !== '');
          // A chart's labels are drawn in its own units and scale with it; its table says the same.
          if (ownText && e.closest('svg') === null) {
            const px = parseFloat(s.fontSize);
            if (px < 18) out.push(`${name(e)}: text ${px}px`);
            const lh = s.lineHeight === 'normal' ? 1.2 * px : parseFloat(s.lineHeight);
            if (lh / px < 1.3 - 1e-6) out.push(`${name(e)}: line ${(lh / px).toFixed(2)}`);
          }
          const target = e.matches('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
          if (target && (e as HTMLElement).offsetParent !== null) {
            const inline = e.matches('a') && s.display === 'inline';
            if (!inline && (r.height < 60 - 0.5 || r.width < 60 - 0.5)) {
              out.push(`${name(e)}: target ${Math.round(r.width)}×${Math.round(r.height)}`);
            }
          }
        }
        return out;
      });
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});
