// Time to first render in Debian's Chromium under slow 4G (150 ms RTT, 1.6 Mbps down, 750 kbps
// up) and 4x CPU throttling, with a cold cache. Median of 5 runs each.
// The home page: two moments — the search form is on screen and usable (the static shell of
// index.html, a plain GET form), and the app has mounted (its own search field is visible).
// The tip form and the certificate application (their own bundles): the app has mounted (the
// form's first field is visible).
import { launch, median as middle, slowPhone } from './slow-phone.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const browser = await launch();

async function appReady(path, selector) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const { context, page } = await slowPhone(browser);
    await page.goto(base + path, { waitUntil: 'commit' });
    await page.locator(selector).waitFor({ state: 'visible', timeout: 60_000 });
    runs.push(Math.round(await page.evaluate(() => performance.now())));
    await context.close();
  }
  return { app_ready_median: middle(runs), runs };
}

const runs = [];
for (let i = 0; i < 5; i++) {
  const { context, page } = await slowPhone(browser);
  await page.goto(base + '/', { waitUntil: 'commit' });
  // First paint of a working search form (the static shell of index.html)…
  await page.locator('#boot-name, #search-name').first().waitFor({ state: 'visible', timeout: 60_000 });
  const form = Math.round(await page.evaluate(() => performance.now()));
  // …and the app itself, mounted and interactive.
  await page.locator('#search-name').waitFor({ state: 'visible', timeout: 60_000 });
  runs.push({ form, app: Math.round(await page.evaluate(() => performance.now())) });
  await context.close();
}
const tipForm = await appReady('/tips/new', '#tip-kind');
const certificateApply = await appReady('/certificates/apply', '#cert-case');
await browser.close();
const median = (key) => middle(runs.map((r) => r[key]));
console.log(JSON.stringify({
  search_form_visible_median: median('form'),
  app_ready_median: median('app'),
  runs,
  tip_form: tipForm,
  certificate_apply: certificateApply,
}));
