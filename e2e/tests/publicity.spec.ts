import { expect, test } from '@playwright/test';
import { expectAccessible, open, snap } from './helpers';

const staff = { username: process.env.E2E_STAFF_USER!, password: process.env.E2E_STAFF_PASSWORD! };

test('the statistics dashboard shows each indicator with its parts, charts with tables, and the CSV of the same figures', async ({ page }, info) => {
  await open(page, '/publicity');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('执行公开');
  await page.getByRole('link', { name: '查看全部指标和计算方法' }).click();
  await expect(page).toHaveURL(/\/publicity\/statistics$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('执行工作统计');
  // Six indicators, each with its value, numerator and denominator, and its definition.
  await expect(page.locator('li.indicator')).toHaveCount(6);
  const recovery = page.locator('li.indicator[data-indicator="recovery_rate"]');
  await expect(recovery.locator('.indicator__value')).toHaveText(/^\d{1,3}\.\d%$/);
  await expect(recovery.getByText(/分子：执行到位金额 [\d,]+\.\d\d 元/)).toBeVisible();
  await recovery.getByText('计算方法').click();
  await expect(recovery.getByText(/执行到位率 = 执行到位金额 ÷ 申请执行金额/)).toBeVisible();

  // One province: the figures, the charts and the address follow.
  await page.getByLabel('省份').selectOption({ label: '浙江省' });
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page).toHaveURL(/province=33/);
  await expect(page.locator('#courts-caption')).toHaveText(/^执行到位率：.+人民法院最高，为 \d+\.\d%$/);
  // Every court of the chart is in Zhejiang, and each bar is reachable by keyboard.
  const bars = page.locator('.chart__bar');
  await expect(bars).toHaveCount(3);
  await bars.first().focus();
  await expect(bars.first()).toBeFocused();
  await expect(bars.first()).toHaveAttribute('aria-label', /人民法院：\d+\.\d%$/);
  // The table view holds the same values as the chart.
  const courtsTable = page.locator('#courts-heading ~ details');
  await courtsTable.getByText('以表格查看').click();
  const firstBar = (await bars.first().getAttribute('aria-label'))!;
  const [court, value] = firstBar.split('：');
  await expect(courtsTable.locator('tr', { hasText: court }).locator('td').first()).toHaveText(value);
  await snap(page, info, 'statistics-zh');
  await expectAccessible(page);

  // Another indicator redraws the charts without asking the server again.
  await page.getByLabel('图表显示的指标').selectOption('average_days');
  await expect(page.locator('#trend-caption')).toHaveText(/^平均结案天数：\d{4}-\d\d 为 \d+\.\d 天，\d{4}-\d\d 为 \d+\.\d 天$/);
  await expect(page).toHaveURL(/indicator=average_days/);

  // The CSV is exactly the figures on screen.
  const href = (await page.getByRole('link', { name: '下载以上数据（CSV）' }).getAttribute('href'))!;
  expect(href).toContain('province=33');
  const csv = await (await page.request.get(href)).text();
  const total = csv.split('\n').find((l) => l.includes(',recovery_rate,') && l.startsWith('合计'))!;
  const shown = (await recovery.locator('.indicator__value').textContent())!;
  expect((Number(total.split(',')[3]) * 100).toFixed(1) + '%').toBe(shown);

  // A period that ends before it starts is refused at its field.
  await page.getByLabel('起始月份').fill('2026-10');
  await page.getByLabel('截止月份').fill('2026-01');
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page.getByText('开始月份不能晚于结束月份')).toBeVisible();
  await expect(page.getByLabel('起始月份')).toBeFocused();
});

test('the dashboard speaks English and deep links keep their filters', async ({ page }, info) => {
  await open(page, '/publicity/statistics?province=33&indicator=closure_rate', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enforcement statistics');
  await expect(page.getByLabel('Province')).toHaveValue('33');
  await expect(page.locator('#trend-caption')).toHaveText(/^Closure rate: \d+\.\d% in \d{4}-\d\d, \d+\.\d% in \d{4}-\d\d$/);
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Publicity' }))
    .toHaveAttribute('aria-current', 'page');
  await snap(page, info, 'statistics-en');
  await expectAccessible(page);
});

test('a citizen reads a guide and a typical case on the publicity page; an unknown article says so', async ({ page }, info) => {
  await open(page, '/publicity');
  // Headline figures with what they divide.
  await expect(page.locator('.figure')).toHaveCount(3);
  await expect(page.locator('.figure').first()).toContainText(/执行到位率\d+\.\d%执行到位金额 ÷ 申请执行金额/);
  // The seeded guides and demo articles, newest first; the guides' tab.
  await expect(page.locator('.article-item')).toHaveCount(8);
  await page.getByRole('navigation', { name: '文章类型' }).getByRole('link', { name: '办事指南' }).click();
  await expect(page).toHaveURL(/kind=guide/);
  await expect(page.locator('.article-item')).toHaveCount(5);
  await snap(page, info, 'publicity-zh');
  await expectAccessible(page);
  await page.getByRole('link', { name: '公开信息有误，怎样申请纠正' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('公开信息有误，怎样申请纠正');
  await expect(page).toHaveTitle('公开信息有误，怎样申请纠正 · 执行公开');
  await expect(page.getByText(/15 日内/).first()).toBeVisible();
  await snap(page, info, 'article-zh');
  await expectAccessible(page);
  // The page as served (before any script) carries the article's share meta.
  const raw = await (await page.request.get(page.url())).text();
  expect(raw).toContain('<meta property="og:title" content="公开信息有误，怎样申请纠正 · 执行公开">');
  expect(raw).toContain('<meta name="description" content="认为失信信息有误的');
  // The feed lists the articles.
  const feed = await (await page.request.get('/feed.xml')).text();
  expect(feed).toContain('<title>公开信息有误，怎样申请纠正</title>');

  const missing = await page.goto('/publicity/20000101-999999');
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('这篇文章不存在或已撤下。');
});

test('the exposure board shows court-chosen notices masked; the court takes one off and puts it back', async ({ page }, info) => {
  await open(page, '/publicity/exposure');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('曝光台');
  const items = page.locator('.board-item');
  await expect(items.first()).toBeVisible();
  const count = await items.count();
  expect(count).toBeGreaterThan(0);
  // IDs are masked as in lookup (credit codes of organisations are public in full).
  for (const id of await page.locator('.board-item dd').filter({ hasText: /^\d{10}\*{4}[\dX]{4}$|^[0-9A-Z]{18}$/ }).allTextContents()) {
    expect(id).not.toMatch(/^\d{17}[\dX]$/);
  }
  await expect(items.first().getByText(/^法院说明：/)).toBeVisible();
  await snap(page, info, 'exposure-zh');
  await expectAccessible(page);
  // Another province: nothing there.
  await page.getByLabel('省份').selectOption({ label: '北京市' });
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page.getByText('所选地区暂时没有曝光信息。')).toBeVisible();

  // The court's editor takes its first entry off the board, and it is gone from the public board.
  const login = await page.request.post('/api/v1/staff/login', { data: staff });
  expect(login.ok()).toBe(true);
  await open(page, '/staff/exposure');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('曝光台');
  await page.getByLabel('公开信息编号或详情页地址').fill('不是编号');
  await page.getByRole('button', { name: '加入曝光台' }).click();
  await expect(page.getByText(/请填写公开信息的编号/)).toBeVisible();
  await expectAccessible(page);
  // Each project (phone, desktop) runs at once on the same board: each takes its own entry.
  const entries = page.locator('li.staff-article');
  const entry = info.project.name === 'phone' ? entries.first() : entries.last();
  const id = (await entry.getByRole('link').textContent())!.replace('#', '');
  await entry.getByRole('button', { name: '移出' }).click();
  await expect(page.getByText('已移出曝光台。')).toBeVisible();
  const board = await (await page.request.get('/api/v1/exposure?page=1')).json();
  expect(board.entries.map((e: { notice_id: number }) => String(e.notice_id))).not.toContain(id);
  // Back on, by its page's address.
  await page.getByLabel('公开信息编号或详情页地址').fill(`http://127.0.0.1/notices/${id}`);
  await page.getByLabel('说明（可选）').fill('拒不申报财产');
  await page.getByRole('button', { name: '加入曝光台' }).click();
  await expect(page.getByText('已加入曝光台。')).toBeVisible();
  const again = await (await page.request.get('/api/v1/exposure?page=1')).json();
  expect(again.entries.find((e: { notice_id: number }) => String(e.notice_id) === id).note).toBe('拒不申报财产');
});

test('the honour list page works in both languages', async ({ page }, info) => {
  await open(page, '/publicity/honour');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诚信履行榜');
  await expect(page.locator('#board table, #board .status').first()).toBeVisible();
  await expectAccessible(page);
  await open(page, '/publicity/honour', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Honour list');
  await snap(page, info, 'honour-en');
  await expectAccessible(page);
});

test('a statistics request lost on a bad network says so with a retry that loads the figures once the network is back', async ({ page }, info) => {
  let lose = true;
  await page.route('**/api/v1/statistics*', (route) => (lose ? route.abort('timedout') : route.continue()));
  await open(page, '/publicity/statistics');
  await expect(page.getByText('暂时无法加载统计数据，请检查网络后重试。')).toBeVisible();
  const retry = page.getByRole('button', { name: '重试' });
  await expect(retry).toBeVisible();
  await snap(page, info, 'publicity-retry-zh');
  await expectAccessible(page);
  lose = false;
  await retry.click();
  await expect(page.getByText('暂时无法加载统计数据，请检查网络后重试。')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('执行工作统计');
  await expect(page.locator('#results table').first()).toBeAttached();
});
