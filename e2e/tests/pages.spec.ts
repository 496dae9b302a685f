import { expect, test } from '@playwright/test';
import { expectAccessible, open, snap } from './helpers';

const pages = [
  { path: '/lookup', zh: '查询', en: 'Lookup' },
  { path: '/rewards', zh: '悬赏', en: 'Rewards' },
  { path: '/certificates', zh: '自动履行证明', en: 'Certificates' },
  { path: '/publicity', zh: '执行公开', en: 'Publicity' },
];

for (const p of pages) {
  test(`${p.path} works as a deep link, marks its nav entry and is accessible in both languages`, async ({ page }) => {
    await open(page, p.path);
    await expect(page).toHaveTitle(`${p.zh} · 执行公开`);
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: p.zh, exact: true }))
      .toHaveAttribute('aria-current', 'page');
    await expectAccessible(page);
    await open(page, p.path, 'en');
    await expect(page).toHaveTitle(`${p.en} · Enforcement Transparency`);
    await expectAccessible(page);
  });
}

test('unknown addresses get a helpful 404 page', async ({ page }, info) => {
  await open(page, '/no/such/page');
  await expect(page).toHaveTitle('页面不存在 · 执行公开');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  await snap(page, info, 'not-found');
  await expectAccessible(page);
  await page.getByRole('link', { name: '返回首页' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('navigation within a service does not reload; another service loads its own bundle', async ({ page }) => {
  const nav = () => page.getByRole('navigation', { name: '主导航' });
  const marker = () => page.evaluate(() => (window as unknown as { marker?: number }).marker);
  await open(page, '/');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await nav().getByRole('link', { name: '查询', exact: true }).click();
  await expect(page).toHaveURL(/\/lookup$/);
  expect(await marker()).toBe(42);
  // Rewards are a bundle of their own: the link loads it, with its scripts only.
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await nav().getByRole('link', { name: '悬赏' }).click();
  await expect(page).toHaveURL(/\/rewards$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await marker()).toBeUndefined();
  expect(scripts.some((s) => s.startsWith('/bundles/rewards/rewards-'))).toBe(true);
  expect(scripts.some((s) => /^\/portal-/.test(s))).toBe(false);
  // Back restores the portal's page from the back-forward cache, which loads itself again.
  await page.goBack({ waitUntil: 'commit' });
  await expect(page).toHaveURL(/\/lookup$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('the partner page shows a copyable two-line embed and links the API reference', async ({ page }, info) => {
  await open(page, '/partners');
  await expect(page).toHaveTitle('合作方接入 · 执行公开');
  const snippet = page.getByLabel('嵌入代码');
  await expect(snippet).toHaveValue(/<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-partner="合作方编号" async><\/script>/);
  await expect(page.getByRole('link', { name: '接口说明（OpenAPI）' })).toHaveAttribute('href', '/api/v1/partner/openapi.json');
  await snap(page, info, 'partners-zh');
  await expectAccessible(page);
});

for (const [from, to] of [
  ['/publicity', '/certificates/verify'],
  ['/rewards', '/publicity'],
]) {
  test(`${from} restored by Back is loaded again, so its live data is current`, async ({ page }) => {
    await page.goto(from);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => {
      (window as any).__shownBefore = true;
      addEventListener('pageshow', (e) => {
        if ((e as PageTransitionEvent).persisted) sessionStorage.setItem('restored', '1');
      });
    });
    await page.goto(to);
    await page.goBack();
    // The browser did restore the page from its cache, and the page loaded itself again.
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('restored'))).toBe('1');
    await expect
      .poll(() => page.evaluate(() => (window as any).__shownBefore === undefined))
      .toBe(true);
  });
}
