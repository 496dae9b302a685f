import { expect, test } from '@playwright/test';
import { open, showcase } from './helpers';

// Runs against a second server on the same database with a tiny allowance (xtask: 2 free
// lookups, 4 in all per 10 minutes), so the limits are reached by a handful of searches.
const limited = process.env.BASE_URL_LIMITED;

test('past the free allowance the browser solves a proof of work, then a clear wait message', async ({ page }, info) => {
  test.skip(!limited || info.project.name !== 'phone', 'one client per limited server');
  const search = async () => {
    await open(page, `${limited}/lookup?name=${encodeURIComponent(showcase.listed.name)}&page=1&n=${Math.random()}`);
  };
  let challenged = false;
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/lookup') && r.status() === 429) challenged = true;
  });
  for (let i = 0; i < 4; i++) {
    await search();
    await expect(page.getByRole('link', { name: showcase.listed.case })).toBeVisible();
  }
  expect(challenged, 'the third search needed a proof of work').toBe(true);
  await search();
  await expect(page.getByRole('alert')).toContainText(/请求过于频繁，请 \d+ 秒后再试/);
});
