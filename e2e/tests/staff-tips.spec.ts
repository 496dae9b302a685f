import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectAccessible, open, showcase, snap } from './helpers';

const staff = { username: process.env.E2E_STAFF_USER!, password: process.env.E2E_STAFF_PASSWORD! };

/** A valid 2×1 PNG (made with zlib and its CRCs), enough for a display copy. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGM4ISf3X07uxH8AECsEBxOnYNoAAAAASUVORK5CYII=',
  'base64',
);

/** A tip with a photo and a contact, sent the way the portal sends it; returns its description. */
async function sendTip(request: APIRequestContext): Promise<string> {
  const rewards = await (await request.get('/api/v1/rewards?province=33&sort=newest')).json();
  const reward = rewards.rewards.find(
    (r: { subject_name: string; status: string }) => r.subject_name === showcase.listed.name && r.status === 'active',
  );
  const created = await request.post('/api/v1/uploads', {
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(png.length), 'Upload-Metadata': `filename ${Buffer.from('car.png').toString('base64')}` },
  });
  expect(created.status()).toBe(201);
  const location = created.headers()['location'];
  const patched = await request.patch(location, {
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    data: png,
  });
  expect(patched.status()).toBe(204);
  const description = `被执行人的黑色越野车停在工业园区三号仓库门口（${Math.random().toString(36).slice(2, 8)}）`;
  const tip = await request.post('/api/v1/tips', {
    headers: { 'Idempotency-Key': `e2e-${Math.random()}` },
    data: {
      reward_id: reward.id,
      kind: 'vehicle',
      description,
      uploads: [location.split('/').pop()],
      contact: { name: '李先生', phone: '13900139000' },
      declaration: true,
    },
  });
  expect(tip.status()).toBe(201);
  return description;
}

test('staff review a tip in their own console: evidence without metadata, audited contact, status to the tipster', async ({ page, request }, info) => {
  const description = await sendTip(request);
  await open(page, '/staff/login');
  await page.getByLabel('用户名').fill(staff.username);
  await page.getByLabel('密码').fill(staff.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '进入线索审核' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('线索审核');
  await expect(page.getByText(/共 \d+ 条线索/)).toBeVisible();
  await snap(page, info, 'staff-tips-queue-zh');
  await expectAccessible(page);

  // Other tests send tips too: find this one's id, then open it from the queue.
  const queue = await (await page.request.get('/api/v1/staff/tips')).json();
  let id = 0;
  for (const t of queue.tips) {
    const d = await (await page.request.get(`/api/v1/staff/tips/${t.id}`)).json();
    if (d.description === description) id = t.id;
  }
  expect(id).toBeGreaterThan(0);
  await page.getByRole('link', { name: `线索 ${id}`, exact: true }).click();
  await expect(page.getByText(description)).toBeVisible();
  await expect(page.getByRole('img', { name: 'car.png' })).toBeVisible();
  await expect(page.getByText('李先生')).toHaveCount(0);
  await page.getByRole('button', { name: '查看联系方式' }).click();
  await expect(page.getByText('13900139000')).toBeVisible();
  await page.getByLabel('给举报人的说明（选填）').fill('线索已转执行团队核查');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('.timeline__message', { hasText: '线索已转执行团队核查' })).toBeVisible();
  await snap(page, info, 'staff-tip-detail-zh');
  await expectAccessible(page);
});

test('the staff console is its own bundle: citizens never load it, and it refuses to be framed', async ({ page, request }) => {
  const portal = await (await request.get('/')).text();
  const console = await request.get('/staff/tips');
  expect(console.status()).toBe(200);
  const html = await console.text();
  const script = (s: string) => s.match(/src="([^"]+\.js)"|from '([^']+\.js)'/);
  expect(script(html)?.slice(1).find(Boolean)).toMatch(/^\/staff\//);
  expect(portal).not.toContain('/staff/staff-');
  expect(console.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await open(page, '/staff/tips', 'en');
  await expect(page.getByText('Please sign in first.').or(page.getByRole('heading', { name: 'Tips' }))).toBeVisible();
  await expectAccessible(page);
});
