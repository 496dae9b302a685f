// Certificate verification, against a running server (BASE_URL) whose e2e-style staff account
// (STAFF_USER / STAFF_PASSWORD) reviews for the court of the showcase subject (SHOWCASE_JSON):
// - a certificate issued the way a court does it (application, then issue in the staff API);
// - its signed payload bytes and QR version;
// - time to verdict of the verify page opened from the QR code, in Debian's Chromium under slow
//   4G (150 ms RTT, 1.6 Mbps down, 750 kbps up) and 4x CPU throttling, cold cache, median of 5:
//   when the signature verdict shows (checked in the browser, no request of its own) and when the
//   live status from the court's record shows.
// Prints one JSON object.
import { launch, median as middle, slowPhone } from './slow-phone.mjs';
import { readFileSync } from 'node:fs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const showcase = JSON.parse(readFileSync(process.env.SHOWCASE_JSON, 'utf8')).listed;

async function call(path, body, cookie) {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res;
}

const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
await call('/api/v1/certificates/applications', {
  case_number: showcase.case,
  name: showcase.name,
  id_number: showcase.id,
  stage: 'during_enforcement',
  amount: '125000.00',
  performed_on: today,
  phone: '13800138000',
  honour_consent: false,
});
const login = await call('/api/v1/staff/login', {
  username: process.env.STAFF_USER,
  password: process.env.STAFF_PASSWORD,
});
const cookie = login.headers.get('set-cookie').split(';')[0];
const queue = await (await call('/api/v1/staff/certificates/applications', undefined, cookie)).json();
const pending = queue.applications.find((a) => a.status === 'pending');
const issued = await (await call(`/api/v1/staff/certificates/applications/${pending.id}/issue`, {}, cookie)).json();
const record = await (await call(`/api/v1/certificates/${issued.number}`)).json();
const qr = await (await call(`/api/v1/certificates/${issued.number}/qr`)).json();
const b64 = (s) => Buffer.from(s, 'base64url').length;

const browser = await launch();
const runs = [];
for (let i = 0; i < 5; i++) {
  const { context, page } = await slowPhone(browser, { serviceWorkers: 'block' });
  let bytes = 0;
  page.on('requestfinished', async (req) => {
    const sizes = await req.sizes().catch(() => null);
    if (sizes) bytes += sizes.responseBodySize + sizes.responseHeadersSize;
  });
  await page.goto(qr.text, { waitUntil: 'commit' });
  await page.locator('[data-testid=signature]').waitFor({ timeout: 60_000 });
  const signature = Math.round(await page.evaluate(() => performance.now()));
  await page.locator('[data-verdict=ok] [data-testid=live-status]', { hasText: '有效（' }).waitFor({ timeout: 60_000 });
  const live = Math.round(await page.evaluate(() => performance.now()));
  runs.push({ signature, live, bytes });
  await context.close();
}
await browser.close();
const median = (key) => middle(runs.map((r) => r[key]));
console.log(JSON.stringify({
  number: issued.number,
  payload_bytes: b64(record.payload),
  signed_bytes: b64(record.payload) + b64(record.signature),
  qr_text_chars: qr.text.length,
  qr_version: qr.version,
  signature_verdict_ms_median: median('signature'),
  live_status_ms_median: median('live'),
  transferred_bytes_median: median('bytes'),
  runs,
}));
