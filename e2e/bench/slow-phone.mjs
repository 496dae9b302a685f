// A fresh phone-sized page in Debian's Chromium under slow 4G (150 ms RTT, 1.6 Mbps down,
// 750 kbps up) and 4x CPU throttling, with the cache disabled: how every time-to-something figure
// of the bench is measured.
import { chromium } from '@playwright/test';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic'],
  });
}

export async function slowPhone(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return { context, page };
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
