import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, open, showcase, snap } from './helpers';

const staff = { username: process.env.E2E_STAFF_USER!, password: process.env.E2E_STAFF_PASSWORD! };

/** The open reward notice on the showcase subject (陈小明), in the e2e staff member's court. */
async function showcaseReward(page: Page): Promise<number> {
  const res = await page.request.get('/api/v1/rewards?province=33&sort=newest');
  const body = await res.json();
  const mine = body.rewards.find(
    (r: { subject_name: string; status: string }) => r.subject_name === showcase.listed.name && r.status === 'active',
  );
  expect(mine, 'the demo has an open reward on the showcase subject').toBeTruthy();
  return mine.id;
}

/** A real 1×1 JPEG, and a 600 KB file that starts like one (three upload chunks). */
const tinyJpeg = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const bigPhoto = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(600 * 1024, 7)]);

test('the reward list filters by region and asset kind, and a notice shows what a tipster needs', async ({ page }, info) => {
  await open(page, '/rewards');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('悬赏公告');
  await expect(page.getByText(/共 \d+ 条悬赏公告/)).toBeVisible();
  await snap(page, info, 'rewards-zh');
  await expectAccessible(page);

  await page.getByLabel('地区').selectOption('33');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/province=33/);
  // The filtered list replaces the first one: wait for it rather than read the old one.
  await expect(page.locator('.reward dd', { hasText: '北京' })).toHaveCount(0);
  await expect(page.locator('.reward').first()).toBeVisible();

  const id = await showcaseReward(page);
  await open(page, `/rewards/${id}`);
  await expect(page.getByText('举报须知')).toBeVisible();
  await expect(page.getByText(`${showcase.listed.id.slice(0, 10)}****${showcase.listed.id.slice(14)}`)).toBeVisible();
  expect(await page.content()).not.toContain(showcase.listed.id);
  await expect(page.getByText(/最先提交者为准/)).toBeVisible();
  await snap(page, info, 'reward-detail-zh');
  await expectAccessible(page);
  // A forwarded link shows the notice's title and amount without running the app.
  const raw = await (await page.request.get(`/rewards/${id}`)).text();
  expect(raw).toMatch(/<meta property="og:title" content="悬赏[^"]*陈小明/);
});

test('a tipster reports a lead with two photos over a flaky network, keeps a signed receipt and follows the court', async ({ page }, info) => {
  test.setTimeout(90_000);
  const id = await showcaseReward(page);
  await open(page, `/rewards/${id}`);
  await page.getByRole('link', { name: '我要举报线索' }).click();
  await expect(page).toHaveURL(new RegExp(`/tips/new\\?reward=${id}`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('举报财产线索');

  // Bad input first: every problem under its field.
  await page.getByRole('button', { name: '提交线索' }).click();
  await expect(page.getByText('请选择线索类型')).toBeVisible();
  await expect(page.getByText(/请描述线索/)).toBeVisible();
  await expect(page.getByText(/请确认声明/)).toBeVisible();

  // The network drops during the second chunk of the big photo: the upload resumes from there.
  const patches: string[] = [];
  let dropped = false;
  await page.route('**/api/v1/uploads/*', async (route) => {
    const request = route.request();
    if (request.method() === 'PATCH') {
      const offset = (await request.allHeaders())['upload-offset'];
      patches.push(offset);
      if (!dropped && offset === String(256 * 1024)) {
        dropped = true;
        return route.abort('connectionreset');
      }
    }
    return route.continue();
  });

  await page.getByLabel('线索类型').selectOption('vessel');
  await page.getByLabel('线索描述').fill('被执行人的渔船“浙象渔01234”停在石浦港三号码头，每天傍晚出海，船上有两名船员。');
  await page.getByLabel('地点（选填）').fill('象山县石浦港三号码头');
  await page.getByLabel('照片、视频或文件（选填）').setInputFiles([
    { name: 'boat.jpg', mimeType: 'image/jpeg', buffer: tinyJpeg },
    { name: 'pier.jpg', mimeType: 'image/jpeg', buffer: bigPhoto },
  ]);
  await expect(page.getByText('已上传')).toHaveCount(2, { timeout: 30_000 });
  expect(dropped).toBe(true);
  // After the drop the client asked where the server stood and went on from 256 KB, not 0.
  const afterDrop = patches.slice(patches.indexOf(String(256 * 1024)) + 1);
  expect(afterDrop).toContain(String(256 * 1024));
  expect(afterDrop).not.toContain('0');

  // The draft survives a reload, uploads included.
  await page.reload();
  await expect(page.getByLabel('线索描述')).toHaveValue(/浙象渔01234/);
  await expect(page.getByText('已上传')).toHaveCount(2);

  await page.getByLabel('电话').fill('13800138000');
  await page.getByLabel('姓名').fill('王女士');
  await page.getByLabel(/我声明/).check();
  await snap(page, info, 'tip-form-zh');
  await expectAccessible(page);
  await page.getByRole('button', { name: '提交线索' }).click();

  await expect(page.getByRole('heading', { name: '线索已收到' })).toBeVisible();
  const code = (await page.getByTestId('tracking-code').textContent())!.trim();
  const pin = (await page.getByTestId('pin').textContent())!.trim();
  expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
  expect(pin).toMatch(/^\d{6}$/);
  // WeChat blocks downloads: the receipt is an image to long-press.
  const image = page.getByRole('img', { name: /举报回执/ });
  await expect(image).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(page.getByRole('link', { name: '完成' })).toHaveCount(0);
  await page.getByLabel(/跟踪码的最后4位/).fill('0000' === code.slice(-4) ? '1111' : '0000');
  await expect(page.getByText('与跟踪码最后4位不一致，请核对')).toBeVisible();
  await page.getByLabel(/跟踪码的最后4位/).fill(code.slice(-4));
  await expect(page.getByRole('link', { name: '完成' })).toBeVisible();
  await snap(page, info, 'tip-receipt-zh');
  await expectAccessible(page);

  // The court looks at it and tells the tipster.
  const login = await page.request.post('/api/v1/staff/login', { data: staff });
  expect(login.ok()).toBe(true);
  // Staff never see tracking codes, not even in the receipt they keep: find this tip by its text.
  const queue = await (await page.request.get('/api/v1/staff/tips?status=received')).json();
  let tip: { id: number } | undefined;
  for (const candidate of queue.tips) {
    const detail = await (await page.request.get(`/api/v1/staff/tips/${candidate.id}`)).json();
    const payload = Buffer.from(detail.receipt.payload, 'base64url').toString('utf8');
    expect(payload).not.toContain(code.replace(/ /g, ''));
    if (detail.description.includes('浙象渔01234')) tip = candidate;
  }
  expect(tip, 'the court sees the tip').toBeTruthy();
  const moved = await page.request.post(`/api/v1/staff/tips/${tip!.id}/status`, {
    data: { status: 'verifying', message: '法院已派员前往石浦港核查' },
  });
  expect(moved.ok()).toBe(true);

  await page.getByRole('link', { name: '完成' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('查询线索进度');
  await page.getByLabel('跟踪码').fill(code);
  await page.getByLabel('查询密码').fill(pin);
  await page.getByRole('button', { name: '查询进度' }).click();
  await expect(page.getByText('法院已派员前往石浦港核查')).toBeVisible();
  await expect(page.locator('.timeline__step')).toHaveCount(2);
  await snap(page, info, 'tip-status-zh');
  await expectAccessible(page);

  // Later the tipster adds what they saw since, with one more photo; the court sees it.
  await page.getByLabel('补充说明').fill('今天傍晚渔船开到了四号码头。');
  await page.getByLabel('照片、视频或文件（选填）').setInputFiles([
    { name: '四号码头.jpg', mimeType: 'image/jpeg', buffer: tinyJpeg },
  ]);
  await expect(page.locator('.upload__state')).toHaveText('已上传');
  await page.getByRole('button', { name: '提交补充' }).click();
  await expect(page.getByText(/补充已收到/)).toBeVisible();
  await expect(page.getByText('补充说明及1个文件')).toBeVisible();
  await expect(page.getByLabel('补充说明')).toHaveValue('');
  await snap(page, info, 'tip-addition-zh');
  await expectAccessible(page);
  const detail = await (await page.request.get(`/api/v1/staff/tips/${tip!.id}`)).json();
  expect(detail.additions[0].description).toBe('今天傍晚渔船开到了四号码头。');
  expect(detail.files.length).toBe(3);
});

test('a wrong PIN gets one generic answer, and the pages work in English', async ({ page }, info) => {
  await open(page, '/tips/status', 'en');
  await page.getByLabel('Tracking code').fill('1234');
  await page.getByRole('button', { name: 'Show progress' }).click();
  await expect(page.getByText('A tracking code has 16 digits; this has 4')).toBeVisible();
  // A well-formed code (its Damm check digit is right) that no tip has.
  await page.getByLabel('Tracking code').fill('1234 5678 9012 3450');
  await page.getByLabel('PIN').fill('123456');
  await page.getByRole('button', { name: 'Show progress' }).click();
  await expect(page.getByRole('alert')).toContainText('The tracking code or the PIN is wrong');
  await expectAccessible(page);

  await open(page, '/rewards', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reward notices');
  await expect(page.getByText(/\d+ reward notices?/)).toBeVisible();
  await snap(page, info, 'rewards-en');
  await expectAccessible(page);
});
