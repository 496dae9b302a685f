import { expect, test } from '@playwright/test';
import { expectAccessible, open, showcase, snap } from './helpers';

const { listed, deleted, grace } = showcase;

test('search by name from the home page shows grouped results with masked IDs', async ({ page }, info) => {
  await open(page, '/');
  await page.getByLabel('姓名或单位名称').fill(listed.name);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page).toHaveURL(/\/lookup\?name=/);
  await expect(page.getByText(/共找到 \d+ 位当事人/)).toBeVisible();
  const card = page.locator('article.subject', { has: page.getByRole('link', { name: listed.case }) });
  await expect(card.getByRole('heading', { level: 3 })).toHaveText(listed.name);
  await expect(card).toContainText(`${listed.id.slice(0, 10)}****${listed.id.slice(14)}`);
  await expect(card.getByText('失信被执行人')).toBeVisible();
  await expect(card.getByText('限制消费').first()).toBeVisible();
  await expect(page.getByText(/数据截至/).first()).toBeVisible();
  // The full ID number appears nowhere on the page.
  expect(await page.content()).not.toContain(listed.id);
  await snap(page, info, 'lookup-results-zh');
  await expectAccessible(page);
});

test('name plus ID finds exactly that subject without putting the ID in the address', async ({ page }) => {
  await open(page, '/lookup');
  await page.getByLabel('姓名或单位名称').fill(listed.name);
  await page.getByLabel(/身份证号码或统一社会信用代码/).fill(listed.id.toLowerCase());
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByText('共找到 1 位当事人')).toBeVisible();
  await expect(page.getByRole('link', { name: listed.case })).toBeVisible();
  expect(page.url()).not.toContain(listed.id.slice(0, 17));
});

test('traditional characters and spaces find the same subject', async ({ page }) => {
  await open(page, '/lookup?name=' + encodeURIComponent('陳 小明'));
  await expect(page.getByRole('link', { name: listed.case })).toBeVisible();
});

test('deleted and grace-period notices are not found', async ({ page }) => {
  for (const subject of [deleted, grace]) {
    await open(page, '/lookup');
    await page.getByLabel('姓名或单位名称').fill(subject.name);
    await page.getByLabel(/身份证号码或统一社会信用代码/).fill(subject.id);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect(page.getByText(`未查询到“${subject.name}”的公开失信、限消或终本信息。`)).toBeVisible();
  }
});

test('bad input is rejected under its field', async ({ page }) => {
  await open(page, '/lookup');
  await page.getByLabel('姓名或单位名称').fill(listed.name);
  await page.getByLabel(/身份证号码或统一社会信用代码/).fill(listed.id.slice(0, 16));
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.locator('#search-id-error')).toBeVisible();
  await expect(page.getByLabel(/身份证号码或统一社会信用代码/)).toBeFocused();
  await expectAccessible(page);
});

test('the detail page shows every published field, the restrictions and what the subject can do', async ({ page }, info) => {
  await open(page, '/lookup?name=' + encodeURIComponent(listed.name));
  await page.getByRole('link', { name: listed.case }).click();
  await expect(page).toHaveURL(/\/notices\/\d+$/);
  await expect(page).toHaveTitle('公开信息详情 · 执行公开');
  const fields = page.locator('dl.fields');
  for (const [label, value] of [
    ['案号', listed.case],
    ['执行法院', '宁波市象山县人民法院'],
    ['性别', '男'],
    ['执行依据文号', '(2023)浙0225民初1251号'],
    ['履行情况', '全部未履行'],
    ['失信行为具体情形', '有履行能力而拒不履行生效法律文书确定义务'],
    ['发布日期', '2024-08-01'],
  ]) {
    await expect(fields.locator('div', { has: page.getByText(label, { exact: true }) })).toContainText(value);
  }
  await expect(page.locator('ol.restrictions > li')).toHaveCount(9);
  await expect(page.getByRole('heading', { name: '如果这是您' })).toBeVisible();
  await expect(page.getByText(/三个工作日内删除/)).toBeVisible();
  await expect(page.getByText(/十五日内审查/)).toBeVisible();
  await snap(page, info, 'notice-detail-zh');
  await expectAccessible(page);

  // The address is shareable: opening it directly, in English, shows the same notice.
  const url = page.url();
  await open(page, new URL(url).pathname, 'en');
  await expect(page.getByRole('heading', { name: 'If this is you' })).toBeVisible();
  await expect(page.getByText('Able to perform but refuses', { exact: false })).toBeVisible();
  await snap(page, info, 'notice-detail-en');
  await expectAccessible(page);
});

test('an unknown notice says it does not exist or was deleted', async ({ page }) => {
  await open(page, '/notices/99999999');
  await expect(page.getByText('该信息不存在，或已依法删除。')).toBeVisible();
});

test('verify answers listed or not listed, and nothing more', async ({ page }, info) => {
  await open(page, '/lookup?tab=verify');
  await expect(page.getByRole('link', { name: '精确核验' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('button', { name: '核验' }).click();
  await expect(page.getByText('请输入姓名或名称')).toBeVisible();

  await page.getByLabel('姓名或单位名称').fill(listed.name);
  await page.getByLabel('身份证号码或统一社会信用代码').fill(listed.id);
  await page.getByRole('button', { name: '核验' }).click();
  const verdict = page.locator('.verdict');
  await expect(verdict.getByText('在名单中', { exact: true })).toBeVisible();
  await expect(verdict.getByText('失信被执行人')).toBeVisible();
  await expect(verdict.getByRole('link')).toHaveCount(0);
  await snap(page, info, 'verify-listed-zh');
  await expectAccessible(page);

  await page.getByLabel('姓名或单位名称').fill('陈大明');
  await page.getByRole('button', { name: '核验' }).click();
  await expect(verdict.getByText('未在名单中')).toBeVisible();
  await expectAccessible(page);
});

test('results and verify work in English', async ({ page }, info) => {
  await open(page, '/lookup?name=' + encodeURIComponent(listed.name), 'en');
  await expect(page.getByText(/\d+ subject\(s\) found/)).toBeVisible();
  await expect(page.getByText('Dishonest judgment debtor').first()).toBeVisible();
  await snap(page, info, 'lookup-results-en');
  await expectAccessible(page);
});
