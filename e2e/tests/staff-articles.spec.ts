import { expect, test } from '@playwright/test';
import { expectAccessible, open, snap } from './helpers';

const staff = { username: process.env.E2E_STAFF_USER!, password: process.env.E2E_STAFF_PASSWORD! };

test('an editor writes an article with a live preview, publishes it, and the public reads it with its share meta', async ({ page }, info) => {
  const login = await page.request.post('/api/v1/staff/login', { data: staff });
  expect(login.ok()).toBe(true);
  await open(page, '/staff/articles');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('文章发布');
  const title = `象山法院执行款发放 ${Date.now() % 100000}${test.info().project.name}`;
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('类型').selectOption({ label: '执行动态' });
  await expect(page.getByLabel('适用范围')).toHaveValue('court');
  // A script is refused at the text field, as soon as the preview asks the server.
  await page.getByLabel('正文（Markdown）').fill('## 发放情况\n\n<script>alert(1)</script>');
  await expect(page.getByText(/第 3 行：正文中不能使用 HTML 标签/)).toBeVisible();
  await page.getByLabel('正文（Markdown）').fill('## 发放情况\n\n本月向 **126 名** 申请执行人发放执行款。');
  await expect(page.getByTestId('preview').locator('strong')).toHaveText('126 名');
  await expect(page.getByText(/第 3 行/)).toHaveCount(0);
  // An image: the server's copy goes into the text and shows in the preview.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  await page.getByLabel('插入图片').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByLabel('正文（Markdown）')).toHaveValue(/!\[图片说明\]\(\/media\/[0-9a-f]{32}\.jpg\)/);
  await expect(page.getByTestId('preview').locator('img')).toHaveAttribute('src', /^\/media\/[0-9a-f]{32}\.jpg$/);
  await snap(page, info, 'staff-article-editor-zh');
  await expectAccessible(page);
  await page.getByRole('button', { name: '保存并立即发布' }).click();
  await expect(page.getByText('已发布。')).toBeVisible();
  const row = page.locator('li.staff-article', { hasText: title });
  await expect(row.getByText(/执行动态 · 已发布/)).toBeVisible();
  const href = await row.getByRole('link', { name: '查看公开页面' }).getAttribute('href');

  // The public reads it; the page as served carries its title for WeChat.
  await open(page, href!);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('.article__body strong')).toHaveText('126 名');
  // Tagged with the editor's court (the default scope).
  await expect(page.locator('.article__meta')).toContainText('执行动态 · 宁波市象山县人民法院');
  const raw = await (await page.request.get(href!)).text();
  expect(raw).toContain(`<meta property="og:title" content="${title} · 执行公开">`);

  // Taken down: gone at once.
  await open(page, '/staff/articles');
  await page.locator('li.staff-article', { hasText: title }).getByRole('button', { name: '撤下' }).click();
  await expect(page.getByText('已撤下，公众已看不到这篇文章。')).toBeVisible();
  expect((await page.request.get(`/api/v1/articles/${href!.split('/').pop()}`)).status()).toBe(404);
});

test('the article editor checks each field before saving, in English too', async ({ page }, info) => {
  const login = await page.request.post('/api/v1/staff/login', { data: staff });
  expect(login.ok()).toBe(true);
  await open(page, '/staff/articles', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Articles');
  await page.getByRole('button', { name: 'Save and schedule' }).click();
  await expect(page.getByLabel('Title')).toBeFocused();
  await expect(page.locator('#article-kind-error')).toBeVisible();
  await expect(page.locator('#article-at-error')).toBeVisible();
  await snap(page, info, 'staff-article-editor-en');
  await expectAccessible(page);
});
