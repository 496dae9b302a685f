// Publicity pages in Debian's Chromium under slow 4G (150 ms RTT, 1.6 Mbps down, 750 kbps up) and
// 4x CPU throttling, cold cache, median of 5 each: time until an article's text is on screen
// (its page opened from a shared link), and until the statistics dashboard's first chart is.
// Prints one JSON object.
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const list = await (await fetch(`${base}/api/v1/articles?kind=guide`)).json();
const slug = list.articles[0].slug;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic'],
});

async function measure(path, selector) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
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
    await page.goto(base + path, { waitUntil: 'commit' });
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: 60_000 });
    runs.push(Math.round(await page.evaluate(() => performance.now())));
    await context.close();
  }
  return { median_ms: [...runs].sort((a, b) => a - b)[2], runs };
}

const article = await measure(`/publicity/${slug}`, '.article__body p');
const statistics = await measure('/publicity/statistics', '#trend-caption');
await browser.close();
console.log(JSON.stringify({ article_time_to_content: article, statistics_time_to_first_chart: statistics }));
