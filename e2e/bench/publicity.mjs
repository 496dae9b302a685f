// Publicity pages in Debian's Chromium under slow 4G (150 ms RTT, 1.6 Mbps down, 750 kbps up) and
// 4x CPU throttling, cold cache, median of 5 each: time until an article's text is on screen
// (its page opened from a shared link), and until the statistics dashboard's first chart is.
// Prints one JSON object.
import { launch, median, slowPhone } from './slow-phone.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const list = await (await fetch(`${base}/api/v1/articles?kind=guide`)).json();
const slug = list.articles[0].slug;
const browser = await launch();

async function measure(path, selector) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const { context, page } = await slowPhone(browser);
    await page.goto(base + path, { waitUntil: 'commit' });
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: 60_000 });
    runs.push(Math.round(await page.evaluate(() => performance.now())));
    await context.close();
  }
  return { median_ms: median(runs), runs };
}

const article = await measure(`/publicity/${slug}`, '.article__body p');
const statistics = await measure('/publicity/statistics', '#trend-caption');
await browser.close();
console.log(JSON.stringify({ article_time_to_content: article, statistics_time_to_first_chart: statistics }));
