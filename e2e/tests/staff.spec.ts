import { expect, test } from '@playwright/test';
import { expectAccessible, open, snap } from './helpers';

const user = process.env.E2E_STAFF_USER ?? 'e2e-admin';
const password = process.env.E2E_STAFF_PASSWORD ?? '';

test('staff sign in, stay signed in across reloads, and sign out', async ({ page }, info) => {
  await open(page, '/staff/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('工作人员登录');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('此项为必填项')).toHaveCount(2);
  await expectAccessible(page);

  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill('wrong-password-123');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('用户名或密码不正确');

  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText(`已登录：${user}`)).toBeVisible();
  await expect(page.getByText('宁波市象山县人民法院')).toBeVisible();
  await expect(page.getByText('管理员')).toBeVisible();
  await snap(page, info, 'staff-signed-in');
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByText(`已登录：${user}`)).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('用户名')).toBeVisible();
});
