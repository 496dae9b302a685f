import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, open, showcase, snap } from './helpers';

// The demo's access codes (crates/server/src/parties/seed.rs, DEMO_CODES and CREDITOR): demo data only.
const codes = { listed: 'CHEN 2345 XMZA', company: 'HFMY 2345 TRDE', creditor: 'YXJC 6789 CRED' };
// The creditor of every demo case, a party of it with its own access code.
const creditor = { name: '宁波甬兴建材有限公司', id: '91330225MA2H4L8Q0N' };
const staff = { username: process.env.E2E_STAFF_USER!, password: process.env.E2E_STAFF_PASSWORD! };
const higher = { username: process.env.E2E_HIGHER_USER!, password: process.env.E2E_STAFF_PASSWORD! };
const partnerUrl = process.env.PARTNER_URL!;

async function signIn(page: Page, who: 'listed' | 'company' | 'creditor', lang: 'zh-CN' | 'en' = 'zh-CN') {
  await open(page, '/parties', lang);
  const en = lang === 'en';
  const party = who === 'creditor' ? creditor : showcase[who];
  await page.getByLabel(en ? 'Name' : '姓名或单位名称', { exact: true }).fill(party.name);
  await page
    .getByLabel(en ? 'ID number or unified social credit code' : '身份证号码或统一社会信用代码', { exact: true })
    .fill(party.id);
  await page.getByLabel(en ? 'Access code' : '查询码', { exact: true }).fill(codes[who]);
  await page.getByRole('button', { name: en ? 'Sign in' : '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en ? 'My cases' : '我的案件');
}

test('a wrong access code gets one answer that names no field', async ({ page }, info) => {
  await open(page, '/parties');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('当事人服务');
  await expectAccessible(page);
  await page.getByLabel('姓名或单位名称', { exact: true }).fill('陈大明');
  await page.getByLabel('身份证号码或统一社会信用代码', { exact: true }).fill(showcase.minority.id);
  await page.getByLabel('查询码', { exact: true }).fill('WXYZ 2345 WXYZ');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByText(/与法院的案件信息对不上/)).toBeVisible();
  await snap(page, info, 'parties-signin-zh');
  await expectAccessible(page);
});

test('a debtor before enforcement reads the risk notice, declares a payment with proof, the creditor and the court confirm it', async ({ page }, info) => {
  test.setTimeout(120_000);
  await signIn(page, 'listed');
  const card = page.locator('article.party-case', { hasText: '民初3456号' });
  await expect(card).toBeVisible();
  await expect(card.getByText('履行风险告知')).toBeVisible();
  await card.getByText('逾期不履行的后果').scrollIntoViewIfNeeded();
  await snap(page, info, 'parties-cases-zh');
  await expectAccessible(page);

  // A unique amount finds this declaration in the court's queue (both projects run this).
  const yuan = String(100 + Math.floor(Math.random() * 800));
  const cents = String(Math.floor(Math.random() * 90) + 10);
  await card.getByRole('link', { name: '申报已付款项' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('申报已付款项');
  await page.getByLabel('付款金额（元）').fill('999999');
  await page.getByLabel('付款日期').fill(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10));
  await page.getByLabel('付款方式').selectOption('bank_transfer');
  await page.getByRole('button', { name: '提交申报' }).click();
  await expect(page.getByLabel('付款金额（元）')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('付款金额（元）').fill(`${yuan}.${cents}`);
  await page.locator('input[type=file]').setInputFiles({
    name: '转账凭证.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Title (transfer) >> endobj\ntrailer << >>\n%%EOF\n'),
  });
  await expect(page.getByText('转账凭证.pdf')).toBeVisible();
  await snap(page, info, 'parties-declare-zh');
  await expectAccessible(page);
  await page.getByRole('button', { name: '提交申报' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('付款申报已提交');
  await expect(page.getByText(/申请执行人（债权人）将在 .* 前登录本服务确认/)).toBeVisible();
  await snap(page, info, 'parties-declared-zh');
  await expectAccessible(page);

  // The creditor, signed in with their own access code (the debtor passes nothing on), confirms.
  await signIn(page, 'creditor');
  await expect(page.locator('article.party-case', { hasText: '民初3456号' }).getByRole('link', { name: /等待您核对/ })).toBeVisible();
  await open(page, '/parties/confirm');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('申请执行人确认付款');
  const waiting = page.locator('li.card', { hasText: `${yuan}.${cents}` });
  await expect(waiting).toHaveCount(1);
  await expectAccessible(page);
  await waiting.getByRole('link', { name: '核对并答复' }).click();
  await expect(page.getByText(`${yuan}.${cents}`).first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: '属实，确认已收到' }).click();
  await expect(page.getByText('已收到您的答复，法院审核时会一并考虑。')).toBeVisible();

  // The court confirms in the staff console.
  expect((await page.request.post('/api/v1/staff/login', { data: staff })).ok()).toBe(true);
  await page.goto('/staff/party/declarations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('履行申报');
  const declaration = page.locator('article', { hasText: `${yuan}.${cents}` });
  await expect(declaration).toHaveCount(1);
  await snap(page, info, 'staff-declarations-zh');
  await expectAccessible(page);
  await declaration.getByRole('button', { name: '确认付款' }).click();
  await expect(page.locator('article', { hasText: `${yuan}.${cents}` })).toHaveCount(0);

  // The debtor sees it counted.
  await signIn(page, 'listed');
  await expect(page.locator('article.party-case', { hasText: '民初3456号' })).toBeVisible();
  const paid = await page.request.get('/api/v1/party/cases');
  const cases = (await paid.json()).cases as { stage: string; paid: string }[];
  expect(Number(cases.find((c) => c.stage === 'before_enforcement')!.paid)).toBeGreaterThanOrEqual(Number(`${yuan}.${cents}`));
});

test('a refused correction, reconsidered by the court one level up, takes the listing off lookup at once; who checked me shows the widget check', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'one listing, corrected once: the phone run covers it');
  test.setTimeout(150_000);
  // A partner's widget checks the company first.
  await page.goto(partnerUrl);
  const frame = page.frameLocator('iframe[title="失信被执行人核查"]');
  await frame.getByLabel('姓名或单位名称').fill(showcase.company.name);
  await frame.getByLabel('身份证号码或统一社会信用代码').fill(showcase.company.id);
  await frame.getByLabel(/被查询人已同意/).check();
  await frame.getByRole('button', { name: '核查' }).click();
  await expect(frame.getByText('在名单中', { exact: true })).toBeVisible();

  await signIn(page, 'company');
  await page.getByRole('link', { name: '谁查询了我' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('谁查询了我');
  await expect(page.getByText('示例银行').first()).toBeVisible();
  await snap(page, info, 'parties-checks-zh');
  await expectAccessible(page);

  await page.getByRole('link', { name: '我的案件' }).click();
  const card = page.locator('article.party-case', { hasText: showcase.company.case });
  await card.getByRole('link', { name: '信息有误？申请纠正' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('申请纠正失信信息');
  await page.getByLabel('申请理由').selectOption('inaccurate');
  await page.getByLabel('具体理由').fill('公布的法定代表人和未履行金额与执行依据不一致，请核实更正。');
  await snap(page, info, 'parties-correction-zh');
  await expectAccessible(page);
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('heading', { name: '申请已提交' })).toBeVisible();
  await expect(page.getByText('法院答复期限')).toBeVisible();

  // The listing court refuses, with its reason.
  expect((await page.request.post('/api/v1/staff/login', { data: staff })).ok()).toBe(true);
  await page.goto('/staff/party/requests');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('当事人申请');
  const request = page.locator('article', { hasText: showcase.company.case });
  await snap(page, info, 'staff-party-requests-zh');
  await expectAccessible(page);
  await request.getByLabel('决定理由').fill('经审查，公布的信息与执行依据一致。');
  await request.getByRole('button', { name: '驳回' }).click();
  await expect(page.locator('article', { hasText: showcase.company.case })).toHaveCount(0);

  // The party asks the court one level up.
  await signIn(page, 'company');
  const refused = page.locator('article.party-case', { hasText: showcase.company.case });
  await refused.getByRole('link', { name: /前可申请复议/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('申请复议');
  await expect(page.getByText('经审查，公布的信息与执行依据一致。')).toBeVisible();
  await page.getByLabel('申请理由').selectOption('inaccurate');
  await page.getByLabel('具体理由').fill('驳回决定未核对执行依据原件，公布的金额确有错误。');
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('heading', { name: '申请已提交' })).toBeVisible();

  // The higher court upholds it, and the listing leaves lookup at once.
  const cases = await (await page.request.get('/api/v1/party/cases')).json();
  const listingId = cases.cases.find((c: { case_number: string }) => c.case_number === showcase.company.case)
    .listings[0].notice_id as number;
  expect((await page.request.get(`/api/v1/notices/${listingId}`)).status()).toBe(200);
  expect((await page.request.post('/api/v1/staff/login', { data: higher })).ok()).toBe(true);
  await page.goto('/staff/party/requests');
  const reconsideration = page.locator('article', { hasText: showcase.company.case });
  await expect(reconsideration.getByText('经审查，公布的信息与执行依据一致。')).toBeVisible();
  await reconsideration.getByRole('button', { name: '复议成立，立即纠正' }).click();
  await expect(page.locator('article', { hasText: showcase.company.case })).toHaveCount(0);
  expect((await page.request.get(`/api/v1/notices/${listingId}`)).status()).toBe(404);

  await signIn(page, 'company');
  await page.getByRole('link', { name: '我的申请' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的申请');
  await expect(page.getByText('复议成立，予以纠正')).toBeVisible();
  await snap(page, info, 'parties-requests-zh');
  await expectAccessible(page);
});

test('the parties desk in English at phone size', async ({ page }, info) => {
  await signIn(page, 'listed', 'en');
  await expect(page.getByText('What happens if you do not perform')).toBeVisible();
  await snap(page, info, 'parties-cases-en');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Who checked me' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Who checked me');
  await snap(page, info, 'parties-checks-en');
  await expectAccessible(page);
});
