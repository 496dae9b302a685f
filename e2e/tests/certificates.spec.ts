import { expect, test } from '@playwright/test';
import { expectAccessible, open, showcase, snap } from './helpers';

const staff = { username: process.env.E2E_STAFF_USER!, password: process.env.E2E_STAFF_PASSWORD! };

function today(): string {
  // The court's calendar (Beijing time).
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

test('a debtor applies, the court issues in the staff console, and the certificate shows with its QR image and who verified it', async ({ page }, info) => {
  test.setTimeout(120_000);
  await open(page, '/certificates');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('自动履行证明书');
  await expectAccessible(page);
  await page.getByRole('link', { name: '申请证明书' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('申请自动履行证明书');

  // A unique amount finds this application among the others of the run.
  const cents = String(Math.floor(Math.random() * 90) + 10);
  const yuan = String(10000 + Math.floor(Math.random() * 80000));
  await page.getByLabel('案号').fill(showcase.listed.case);
  await page.getByLabel('姓名或名称').fill(showcase.listed.name);
  await page.getByLabel('身份证号码或统一社会信用代码').fill(showcase.listed.id);
  await page.getByLabel('履行金额（元）').fill(`${yuan}.${cents}`);
  await page.getByLabel('履行完毕日期').fill(today());
  await page.getByLabel('联系电话').fill('138 0013 8000');
  await page.getByLabel(/诚信履行榜/).check();
  // A wrong phone is refused in the browser, next to its field.
  await page.getByLabel('联系电话').fill('12345');
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByText(/电话号码格式不正确/)).toBeVisible();
  await expect(page.getByLabel('联系电话')).toBeFocused();
  await page.getByLabel('联系电话').fill('13800138000');
  await snap(page, info, 'certificate-apply-zh');
  await expectAccessible(page);
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('申请已提交');
  const code = (await page.getByTestId('application-code').textContent())!.trim();
  const pin = (await page.getByTestId('application-pin').textContent())!.trim();
  expect(code.replace(/ /g, '')).toMatch(/^\d{16}$/);
  const creditorCode = (await page.getByTestId('creditor-code').textContent())!.trim();
  await snap(page, info, 'certificate-accepted-zh');
  await expectAccessible(page);

  // The creditor confirms with the code the debtor passed on.
  await open(page, '/certificates/confirm');
  await page.getByLabel('给申请执行人的确认码').fill(creditorCode);
  await page.getByRole('button', { name: '查看待确认内容' }).click();
  await expect(page.getByText(`${Number(yuan).toLocaleString('en-US')}.${cents}`)).toBeVisible();
  // Disputing needs a reason.
  await page.getByRole('button', { name: '不属实，提出异议' }).click();
  await expect(page.getByText('提出异议时请说明理由')).toBeVisible();
  await snap(page, info, 'creditor-confirm-zh');
  await expectAccessible(page);
  await page.getByRole('button', { name: '属实，确认已履行' }).click();
  await expect(page.getByText('已收到您的答复，法院审核时会一并考虑。')).toBeVisible();

  // The court's reviewer issues it in the staff console.
  const login = await page.request.post('/api/v1/staff/login', { data: staff });
  expect(login.ok()).toBe(true);
  await page.goto('/staff/certificates');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('自动履行证明书申请');
  const amount = `${Number(yuan).toLocaleString('en-US')}.${cents}`;
  const card = page.locator('article', { hasText: amount });
  await expect(card).toHaveCount(1);
  await expect(card.getByText('已确认履行')).toBeVisible();
  await snap(page, info, 'staff-certificates-zh');
  await expectAccessible(page);
  await card.getByRole('button', { name: '出具证明书' }).click();
  await expect(page.getByText(/已出具，编号 \d{10}/)).toBeVisible();
  const number = (await page.getByText(/已出具，编号 \d{10}/).textContent())!.match(/\d{10}/)![0];

  // The applicant sees the certificate: its facts, and one image to long-press save.
  await open(page, '/certificates/status');
  await page.getByLabel('申请编号').fill(code);
  await page.getByLabel('查询密码').fill(pin);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText('已出具')).toBeVisible();
  const certificate = page.locator('article.certificate');
  await expect(certificate.getByText(number)).toBeVisible();
  await expect(certificate.getByText('3302251985****1231')).toBeVisible();
  await expect(certificate.getByText(amount, { exact: true })).toBeVisible();
  const image = page.getByTestId('certificate-image');
  await expect(image).toBeVisible();
  expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await expect(page.getByText('还没有人核验过。')).toBeVisible();
  await snap(page, info, 'certificate-zh');
  await expectAccessible(page);

  // A bank scans the QR code: the subject sees it.
  // A number alone tells the status and nothing else; with the subject's name, the signed record.
  const bare = await (await page.request.get(`/api/v1/certificates/${number}`)).json();
  expect(bare).toEqual({ number, status: 'valid' });
  const record = await page.request.get(`/api/v1/certificates/${number}?channel=qr&name=${encodeURIComponent('陈小明')}`);
  expect((await record.json()).payload).toBeTruthy();
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.locator('#verified-heading + p + ol li')).toHaveCount(1);
  await expect(page.getByText('扫码核验')).toBeVisible();

  // The QR code's own text opens the verify page, its own small bundle: the signature checked
  // in the browser against the court keys in the page, then the live status.
  expect((await page.request.get(`/api/v1/certificates/${number}/qr`)).status()).toBe(404);
  const qr = await (await page.request.get(`/api/v1/certificates/${number}/qr?name=${encodeURIComponent('陈小明')}`)).json();
  expect(qr.text).toMatch(/^HTTP:\/\/127\.0\.0\.1:\d+\/C\/[A-Z2-7]+$/);
  expect(qr.version).toBeLessThanOrEqual(10);
  const asked: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/certificates/')) asked.push(r.url()); });
  await page.goto(qr.text);
  await expect(page.getByText('有效：法院签名核验通过，证明书现在有效')).toBeVisible();
  await expect(page.getByTestId('signature')).toHaveText('有效，由宁波市象山县人民法院签发');
  await expect(page.getByTestId('live-status')).toHaveText('有效（已与法院记录核对）');
  const facts = page.locator('article.certificate');
  await expect(facts.getByText(number)).toBeVisible();
  await expect(facts.getByText('3302251985****1231')).toBeVisible();
  await expect(facts.getByText(`${amount} 元`)).toBeVisible();
  // The page asked for the live status once; the subject's list has one look per client an hour.
  expect(asked).toHaveLength(1);
  const state = await (await page.request.post('/api/v1/certificates/applications/status', {
    data: { application_code: code.replace(/ /g, ''), pin },
  })).json();
  expect(state.verifications.filter((v: { channel: string }) => v.channel === 'qr')).toHaveLength(1);
  // No framework in this bundle: only its own wasm is loaded.
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(scripts.some((n) => /\/verify\/verify-[0-9a-f]+_bg\.wasm$/.test(n))).toBe(true);
  expect(scripts.some((n) => /portal-[0-9a-f]+_bg\.wasm$/.test(n))).toBe(false);
  await snap(page, info, 'certificate-verify-zh');
  await expectAccessible(page);

  // No answer from the server: the signature still holds, the status is said to be unchecked.
  await page.route('**/api/v1/certificates/**', (route) => route.abort('internetdisconnected'));
  await page.reload();
  await expect(page.getByText('法院签名核验通过；未能查询证明书现在是否有效（网络不通）')).toBeVisible();
  await expect(page.getByText('法院公钥截至')).toBeVisible();
  await snap(page, info, 'certificate-verify-offline-zh');
  await expectAccessible(page);
  await page.unroute('**/api/v1/certificates/**');

  // No network at all: the service worker kept the page, which verifies with the keys it has.
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready) && !!(await caches.match('/C/')));
  await page.waitForFunction(async () => (await caches.keys()).length > 0
    && (await (await caches.open('verify-v1')).keys()).some((r) => r.url.endsWith('.wasm')));
  await page.context().setOffline(true);
  await page.goto(qr.text);
  await expect(page.getByText('法院签名核验通过；未能查询证明书现在是否有效（网络不通）')).toBeVisible();
  await page.context().setOffline(false);

  // One character changed, in the facts or in the signature: not the court's certificate.
  const blob = qr.text.split('/C/')[1];
  const change = (at: number) => blob.slice(0, at) + (blob[at] === 'A' ? 'B' : 'A') + blob.slice(at + 1);
  await page.goto(`/C/${change(40)}`);
  await expect(page.getByText(/签名无效|无法识别为证明书/)).toBeVisible();
  await expect(page.locator('article.certificate')).toHaveCount(0);
  await page.goto(`/C/${change(blob.length - 20)}`);
  await expect(page.getByText('签名无效：证明书被改动过，或不是法院出具的，请勿采信')).toBeVisible();
  await expect(page.locator('article.certificate')).toHaveCount(0);
  await snap(page, info, 'certificate-verify-tampered-zh');
  await expectAccessible(page);

  // The applicant's page in English.
  await open(page, '/certificates/status', 'en');
  await page.getByLabel('Application code').fill(code);
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText('Issued', { exact: true })).toBeVisible();
  await expect(page.getByTestId('certificate-image')).toBeVisible();
  await expect(page.getByText('scanned the QR code').first()).toBeVisible();
  await snap(page, info, 'certificate-en');
  await expectAccessible(page);

  // The verify page in English, as the language chosen on the portal.
  await page.goto(qr.text);
  await expect(page.getByText("Valid: the court's signature checks out and the certificate is valid now")).toBeVisible();
  await snap(page, info, 'certificate-verify-en');
  await expectAccessible(page);
  // Back to Chinese with the page's own switch.
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByText('有效：法院签名核验通过，证明书现在有效')).toBeVisible();

  // Or typed, from the portal's link: number and name, each checked next to its field.
  await open(page, '/certificates');
  await page.getByRole('link', { name: '核验证明书' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('核验自动履行证明书');
  await page.getByLabel('证明书编号').fill(number.slice(0, 9) + String((Number(number[9]) + 1) % 10));
  await page.getByLabel('姓名或名称').fill('王某某');
  await page.getByRole('button', { name: '核验' }).click();
  await expect(page.getByText('证明书编号有误，请核对是否输错')).toBeVisible();
  await expect(page.getByLabel('证明书编号')).toBeFocused();
  await page.getByLabel('证明书编号').fill(number);
  await page.getByRole('button', { name: '核验' }).click();
  await expect(page.getByText('名称与证明书不符，请核对')).toBeVisible();
  await expect(page.getByLabel('姓名或名称')).toBeFocused();
  await snap(page, info, 'certificate-verify-typed-zh');
  await expectAccessible(page);
  // The name as on the certificate: matched without the traditional-to-simplified table, which
  // the page does not carry and fetches only when a name differs before simplification.
  const tables: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/C/simplified-forms.txt')) tables.push(r.url());
  });
  await page.getByLabel('姓名或名称').fill(showcase.listed.name);
  await page.getByRole('button', { name: '核验' }).click();
  await expect(page.getByText('有效：法院签名核验通过，证明书现在有效')).toBeVisible();
  expect(tables).toHaveLength(0);
  // The same name in traditional characters, as copied from a Hong Kong document: the table is
  // fetched now, and the certificate is still the one named.
  const traditional = showcase.listed.name.replace('陈', '陳');
  expect(traditional).not.toBe(showcase.listed.name);
  await page.getByLabel('姓名或名称').fill(traditional);
  const fetched = page.waitForResponse((r) => r.url().endsWith('/C/simplified-forms.txt'));
  await page.getByRole('button', { name: '核验' }).click();
  expect((await fetched).status()).toBe(200);
  await expect(page.getByText('有效：法院签名核验通过，证明书现在有效')).toBeVisible();
  await expect(page.getByText('名称与证明书不符，请核对')).toHaveCount(0);

  // The court revokes it: the same QR code now says so, with the reason.
  const revoke = await page.request.post(`/api/v1/staff/certificates/${number}/revoke`, {
    data: { reason: '履行款被退回，申请执行人已申请恢复执行' },
  });
  expect(revoke.ok()).toBe(true);
  await page.goto(qr.text);
  await expect(page.getByText('已撤销：此证明书不再有效，请勿采信')).toBeVisible();
  await expect(page.getByTestId('live-status')).toContainText('履行款被退回');
});

test('the application form speaks English and says what is wrong with each field', async ({ page }, info) => {
  await open(page, '/certificates/apply', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Apply for a certificate of self-performance');
  await page.getByLabel('Case number').fill('nonsense');
  await page.getByLabel('Amount paid (yuan)').fill('0');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(/The amount must be a number above 0/)).toBeVisible();
  await expect(page.getByLabel('Case number')).toBeFocused();
  await snap(page, info, 'certificate-apply-en');
  await expectAccessible(page);

  // A name that is not a party of the case: one answer from the server, at the ID field.
  await page.getByLabel('Case number').fill(showcase.listed.case);
  await page.getByLabel('Name', { exact: true }).fill('王某某');
  await page.getByLabel('ID number or unified social credit code').fill(showcase.listed.id);
  await page.getByLabel('Amount paid (yuan)').fill('100');
  await page.getByLabel('Date performed in full').fill(today());
  await page.getByLabel('Phone').fill('13800138000');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(/No party of this case has this name and ID number/)).toBeVisible();
});
