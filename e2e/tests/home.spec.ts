import { expect, test } from '@playwright/test';
import { expectAccessible, open, snap } from './helpers';

test('home page shows the search box, the services and live figures in Chinese', async ({ page }, info) => {
  await open(page, '/');
  await expect(page).toHaveTitle('首页 · 执行公开');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('查失信、查限消、查终本');
  await expect(page.getByLabel('姓名或单位名称')).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link')).toHaveText([
    '查询', '悬赏', '自动履行证明', '当事人服务', '执行公开',
  ]);
  // The figure comes from the real database: the demo seed makes hundreds of public notices.
  const count = page.getByTestId('public-notices');
  await expect(count).toHaveText(/^\d{1,3}(,\d{3})*$/);
  expect(Number((await count.textContent())!.replace(/,/g, ''))).toBeGreaterThan(100);
  // The publicity statistics' headline rates and the newest articles.
  await expect(page.locator('.figure dt')).toContainText(['当前公开的名单信息', '执行到位率', '实际执行率', '结案率']);
  await expect(page.locator('ul.latest li')).toHaveCount(3);
  await snap(page, info, 'home-zh');
  await expectAccessible(page);
  // An article opens in the publicity pages (their own bundle).
  const first = page.locator('ul.latest a').first();
  const title = (await first.textContent())!;
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test('the search form rejects bad input with field-level messages and keeps IDs out of the address', async ({ page }) => {
  await open(page, '/');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.locator('#search-name-error')).toHaveText('请输入姓名或名称');
  await expect(page.getByLabel('姓名或单位名称')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('姓名或单位名称')).toBeFocused();

  await page.getByLabel('姓名或单位名称').fill('陈小明');
  await page.getByLabel(/身份证号码或统一社会信用代码/).fill('33022519850612123X');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.locator('#search-id-error')).toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  // A valid ID (check digit computed by GB 11643) is accepted and never put in the URL.
  await page.getByLabel(/身份证号码或统一社会信用代码/).fill('');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page).toHaveURL(/\/lookup\?name=%E9%99%88%E5%B0%8F%E6%98%8E$/);
});

test('language switch changes every string and is remembered', async ({ page }, info) => {
  await open(page, '/');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before you deal');
  await expect(page).toHaveTitle('Home · Enforcement Transparency');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before you deal');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.locator('#search-name-error')).toHaveText(/name/i);
  await snap(page, info, 'home-en');
  await expectAccessible(page);
  await page.getByRole('button', { name: '切换到中文' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('查失信、查限消、查终本');
});

test('elder mode enlarges text and tap targets to the MIIT numbers and is remembered', async ({ page }, info) => {
  await open(page, '/');
  const toggle = page.getByRole('button', { name: '长辈模式' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveClass(/elder/);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/elder/);
  const body = await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight) };
  });
  expect(body.size).toBeGreaterThanOrEqual(24); // 18 pt
  expect(body.line / body.size).toBeGreaterThanOrEqual(1.3);
  for (const target of [page.getByRole('button', { name: '查询', exact: true }), page.getByLabel('姓名或单位名称'), toggle]) {
    const box = (await target.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(60);
  }
  await snap(page, info, 'home-elder');
  await expectAccessible(page);
});

test('without WebAssembly the first paint still offers a working search', async ({ page }) => {
  await page.addInitScript(() => {
    // @ts-expect-error simulating a web view without WebAssembly
    delete window.WebAssembly;
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('查失信、查限消、查终本');
  await page.getByLabel('姓名或单位名称').fill('陈小明');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/\/lookup\?name=%E9%99%88%E5%B0%8F%E6%98%8E$/);
});
