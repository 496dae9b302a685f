import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { open } from './helpers';

// Share cards in WeChat's web view: the page asks the portal to sign its address (the portal's
// WeChat API here is a local stand-in, xtask/src/site.rs), loads WeChat's JS-SDK (served below
// by a stand-in script that records what the page gives it) and sets its card from its meta.

const appId = process.env.WECHAT_APP_ID!;
const ticket = process.env.WECHAT_TICKET!;

type Config = { appId: string; timestamp: number; nonceStr: string; signature: string; jsApiList: string[] };
type Card = { title: string; desc: string; link: string; imgUrl: string };
type Recorded = { configs: Config[]; cards: [string, Card][] };

/** Serves a stand-in for jweixin-1.6.0.js that records `wx.config` and the share cards. */
async function fakeSdk(page: Page) {
  let loads = 0;
  await page.route('https://res.wx.qq.com/**', (route) => {
    loads += 1;
    return route.fulfill({
      contentType: 'text/javascript',
      body: `window.__wx = window.__wx || { configs: [], cards: [] };
        window.wx = {
          config(c) { window.__wx.configs.push(c); },
          ready(f) { setTimeout(f, 0); },
          updateAppMessageShareData(d) { window.__wx.cards.push(['app', d]); },
          updateTimelineShareData(d) { window.__wx.cards.push(['timeline', d]); },
        };`,
    });
  });
  return () => loads;
}

/** What WeChat checks: SHA-1 over the ticket, nonce, timestamp and the address without `#…`. */
function signature(c: Config, url: string) {
  const page = url.split('#')[0];
  return createHash('sha1')
    .update(`jsapi_ticket=${ticket}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${page}`)
    .digest('hex');
}

async function recorded(page: Page, cards: number): Promise<Recorded> {
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __wx?: Recorded }).__wx?.cards.length ?? 0))
    .toBeGreaterThanOrEqual(cards);
  return page.evaluate(() => (window as unknown as { __wx: Recorded }).__wx);
}

async function firstReward(page: Page): Promise<number> {
  const res = await page.request.get('/api/v1/rewards');
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  return body.rewards[0].id;
}

test('a reward notice shared in WeChat gets a correctly signed config and its own card', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'WeChat is the phone project');
  const sdkLoads = await fakeSdk(page);
  const id = await firstReward(page);
  await open(page, `/rewards/${id}#top`);
  const wx = await recorded(page, 2);
  expect(sdkLoads()).toBe(1);
  const config = wx.configs[0];
  expect(config.appId).toBe(appId);
  expect(config.jsApiList).toEqual(['updateAppMessageShareData', 'updateTimelineShareData']);
  expect(config.signature).toBe(signature(config, page.url()));
  const ogTitle = await page.locator('meta[property="og:title"]').getAttribute('content');
  const [kind, card] = wx.cards[0];
  expect(kind).toBe('app');
  expect(card.title).toBe(ogTitle);
  expect(card.title).toContain('悬赏');
  expect(card.desc).toBe(await page.locator('meta[name="description"]').getAttribute('content'));
  expect(card.link).toBe(page.url().split('#')[0]);
  expect(card.imgUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/icons\/icon-512\.png$/);
  expect(wx.cards[1][0]).toBe('timeline');
});

test('the statistics page (a lite bundle) sets its card too', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'WeChat is the phone project');
  await fakeSdk(page);
  await page.goto('/publicity/statistics');
  const wx = await recorded(page, 2);
  expect(wx.configs[0].signature).toBe(signature(wx.configs[0], page.url()));
  expect(wx.cards[0][1].title).toBe(await page.title());
});

test('on iPhone, WeChat signs the address the visitor landed at, after moving within the app', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone', 'a phone of its own');
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN',
  });
  const page = await context.newPage();
  await fakeSdk(page);
  await open(page, '/rewards');
  const landing = page.url();
  await recorded(page, 2);
  await page.locator('main a[href^="/rewards/"]').first().click();
  await expect(page).toHaveURL(/\/rewards\/\d+$/);
  const wx = await recorded(page, 4);
  const last = wx.configs[wx.configs.length - 1];
  expect(wx.configs.length).toBeGreaterThanOrEqual(2);
  expect(last.signature).toBe(signature(last, landing));
  // The card links the page shown now, not the landing page.
  expect(wx.cards[wx.cards.length - 1][1].link).toBe(page.url());
  await context.close();
});

test('outside WeChat no SDK is loaded', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'a desktop browser');
  const sdkLoads = await fakeSdk(page);
  const signatures: string[] = [];
  page.on('request', (r) => r.url().includes('/api/v1/wechat/') && signatures.push(r.url()));
  await open(page, '/rewards');
  await expect(page.locator('main a[href^="/rewards/"]').first()).toBeVisible();
  expect(signatures).toEqual([]);
  expect(sdkLoads()).toBe(0);
});
