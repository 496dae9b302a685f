import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, showcase, snap } from './helpers';

// xtask serves a partner's page (e2e/partner/index.html) on its own origin (PARTNER_URL), the same
// page on an origin no partner registered (ROGUE_URL), and registers the partner (PARTNER_ID).
const partnerUrl = process.env.PARTNER_URL!;
const rogueUrl = process.env.ROGUE_URL!;
const partnerId = process.env.PARTNER_ID!;

async function widget(page: Page) {
  await page.goto(partnerUrl);
  const frame = page.frameLocator('iframe[title="失信被执行人核查"]');
  await expect(frame.getByLabel('姓名或单位名称')).toBeVisible();
  return frame;
}

test('a partner page on another origin embeds a working check with two lines', async ({ page }, info) => {
  const frame = await widget(page);
  // The frame fits its content instead of keeping the loader's initial height.
  const iframe = page.locator('iframe[title="失信被执行人核查"]');
  await expect.poll(async () => (await iframe.boundingBox())!.height).not.toBe(418);

  await frame.getByLabel('姓名或单位名称').fill(showcase.listed.name);
  await frame.getByLabel('身份证号码或统一社会信用代码').fill(showcase.listed.id);
  await frame.getByLabel(/被查询人已同意 示例银行/).check();
  await frame.getByRole('button', { name: '核查' }).click();
  await expect(frame.getByText('在名单中', { exact: true })).toBeVisible();
  await expect(frame.getByText('失信被执行人', { exact: true })).toBeVisible();
  await expect(frame.getByRole('link', { name: '查看公开信息' })).toHaveAttribute('href', /^\/notices\/\d+$/);

  // The host page hears about it: a DOM event and a window message, status and check id only.
  await expect(page.locator('#outcome')).toHaveText(/^核查结果：listed（ck_[0-9a-f]+）$/);
  const message = await page.evaluate(() => (window as unknown as { lastResultMessage: object }).lastResultMessage);
  expect(Object.keys(message).sort()).toEqual(['check_id', 'status', 'type']);
  await snap(page, info, 'widget-listed');
  await expectAccessible(page);
});

test('a clear subject, and the consent the check requires', async ({ page }) => {
  const frame = await widget(page);
  await frame.getByLabel('姓名或单位名称').fill('陈大明');
  await frame.getByLabel('身份证号码或统一社会信用代码').fill(showcase.listed.id);
  await frame.getByRole('button', { name: '核查' }).click();
  await expect(frame.getByText('请确认被查询人已同意本次核查')).toBeVisible();
  await expect(page.locator('#outcome')).toHaveText('尚未核查');

  await frame.getByLabel(/被查询人已同意/).check();
  await frame.getByRole('button', { name: '核查' }).click();
  await expect(frame.getByText('未在名单中')).toBeVisible();
  await expect(page.locator('#outcome')).toHaveText(/^核查结果：clear/);
});

test('bad input is rejected inside the frame with field messages', async ({ page }) => {
  const frame = await widget(page);
  await frame.getByLabel('身份证号码或统一社会信用代码').fill('12345');
  await frame.getByRole('button', { name: '核查' }).click();
  await expect(frame.getByText('请输入姓名或名称')).toBeVisible();
  await expect(frame.getByLabel('身份证号码或统一社会信用代码')).toHaveAttribute('aria-invalid', 'true');
});

test('an origin the partner did not register cannot frame the check', async ({ page }) => {
  const embed = page.waitForResponse((r) => new URL(r.url()).pathname === '/embed/check');
  await page.goto(rogueUrl);
  const iframe = page.locator('iframe[title="失信被执行人核查"]');
  await expect(iframe).toHaveCount(1);
  // The server names only the partner's registered origin as a permitted ancestor …
  const csp = (await embed).headers()['content-security-policy'];
  expect(csp).toContain(`frame-ancestors ${new URL(partnerUrl).origin}`);
  expect(csp).not.toContain(new URL(rogueUrl).origin);
  // … so the browser refuses to render it: Chromium puts its error page in the frame instead.
  await expect
    .poll(() => page.frames().some((f) => f.url().startsWith('chrome-error://')))
    .toBe(true);
  await expect(page.frameLocator('iframe').getByLabel('姓名或单位名称')).toHaveCount(0);
  await expect(page.locator('#outcome')).toHaveText('尚未核查');
});

test('an unknown partner gets a clear refusal page', async ({ page, baseURL }) => {
  const res = await page.goto(`${baseURL}/embed/check?partner=pt_unknown`);
  expect(res!.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('无法在此网站提供核查');
  await expect(page.getByRole('link', { name: '打开执行公开 · 精确核验' })).toBeVisible();
});

test('the embed page is accessible in both languages', async ({ page, baseURL }, info) => {
  const host = new URL(partnerUrl).origin;
  for (const lang of ['zh-CN', 'en']) {
    await page.goto(`${baseURL}/embed/check?partner=${partnerId}&host=${encodeURIComponent(host)}&lang=${lang}`);
    await expect(page.locator('form')).toBeVisible();
    await snap(page, info, `embed-${lang}`);
    await expectAccessible(page);
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dishonest-debtor check');
});

test('where WebAssembly is unavailable the frame shows a link to the portal', async ({ page }) => {
  await page.addInitScript(() => {
    // @ts-expect-error simulating an old web view without WebAssembly
    delete window.WebAssembly;
  });
  await page.goto(partnerUrl);
  const frame = page.frameLocator('iframe[title="失信被执行人核查"]');
  await expect(frame.getByRole('link', { name: '打开精确核验' })).toBeVisible();
  await expect(frame.getByRole('link', { name: '打开精确核验' })).toHaveAttribute('href', '/lookup?tab=verify');
});
