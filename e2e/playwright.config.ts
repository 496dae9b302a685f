import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. xtask starts the real server (real SQLite
// database seeded with demo data) and passes its address in BASE_URL.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-quic',
    '--no-first-run',
    '--disable-sync',
    // WeChat's JS-SDK host: never reached from a test (wechat.spec.ts serves a stand-in script);
    // the pages in WeChat's user agent find it unreachable at once instead of waiting on DNS.
    '--host-resolver-rules=MAP res.wx.qq.com ~NOTFOUND',
  ],
  // Playwright turns the back-forward cache off by default; WeChat's web view has it on, and the
  // pages must handle a page restored by Back.
  ignoreDefaultArgs: ['--disable-back-forward-cache'],
};

// WeChat's in-app browser on Android (XWeb) identifies itself like this.
const wechatUA =
  'Mozilla/5.0 (Linux; Android 14; V2307A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300333 MMWEBSDK/20240404 MMWEBID/1234 ' +
  'MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:8080',
    locale: 'zh-CN',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromium,
  },
  projects: [
    {
      name: 'phone',
      use: {
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        userAgent: wechatUA,
      },
    },
    {
      name: 'desktop',
      use: { viewport: { width: 1280, height: 800 } },
    },
  ],
});
