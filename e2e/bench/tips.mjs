// Tips under load, against a running server (BASE_URL) whose process id is SERVER_PID:
// - tip submissions per second with a 1 MB photo: each tip is a tus upload of a real 1 MB JPEG
//   (noise drawn and encoded by Chromium) plus the submission that claims it (re-encoded display
//   copy, encryption, signed receipt, durable commit), 4 tipsters at once for 15 s;
// - the server's memory while 50 tipsters upload 20 MB files at once (uploads must stream), on
//   the freshly started server, before the tips load (and its memory after that load).
// Prints one JSON object.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const pid = process.env.SERVER_PID;
const TUS = { 'Tus-Resumable': '1.0.0' };

/** A real JPEG of about 1 MB: 1600×1200 of noise, at the quality that lands nearest 1 MB. */
async function photo() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const page = await browser.newPage();
  const candidates = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 1600;
    c.height = 1200;
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(c.width, c.height);
    let x = 12345;
    for (let i = 0; i < img.data.length; i += 4) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      // Smooth bands plus noise, so quality changes the size the way it does for a photo.
      const band = (i / 4 / c.width) & 255;
      img.data[i] = (band + (x & 63)) & 255;
      img.data[i + 1] = ((band >> 1) + ((x >> 8) & 63)) & 255;
      img.data[i + 2] = (255 - band + ((x >> 16) & 63)) & 255;
      img.data[i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((q) => c.toDataURL('image/jpeg', q).split(',')[1]);
  });
  await browser.close();
  const jpegs = candidates.map((b) => Buffer.from(b, 'base64'));
  jpegs.sort((a, b) => Math.abs(a.length - 1e6) - Math.abs(b.length - 1e6));
  return jpegs[0];
}

async function upload(bytes, name) {
  const created = await fetch(`${base}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      ...TUS,
      'Upload-Length': String(bytes.length),
      'Upload-Metadata': `filename ${Buffer.from(name).toString('base64')}`,
    },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const location = new URL(created.headers.get('location'), base).toString();
  const patched = await fetch(location, {
    method: 'PATCH',
    headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });
  if (patched.status !== 204) throw new Error(`patch: ${patched.status} ${await patched.text()}`);
  return location.split('/').pop();
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

function memory() {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.split('\n').find((l) => l.startsWith(name))?.split(/\s+/)[1] ?? 0) * 1024;
  return { rss: field('VmRSS:'), anon: field('RssAnon:') };
}

const rewards = await (await fetch(`${base}/api/v1/rewards?sort=newest`)).json();
const reward = rewards.rewards.find((r) => r.status === 'active');
if (!reward) throw new Error('no open reward notice in the bench database');

const jpeg = await photo();
let counter = 0;
async function tip() {
  const started = performance.now();
  const id = await upload(jpeg, '码头.jpg');
  const res = await fetch(`${base}/api/v1/tips`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${process.pid}-${counter++}` },
    body: JSON.stringify({
      reward_id: reward.id,
      kind: 'vessel',
      description: '被执行人的渔船停在石浦港三号码头，每天傍晚出海，附照片一张',
      uploads: [id],
      declaration: true,
    }),
  });
  if (res.status !== 201) throw new Error(`tip: ${res.status} ${await res.text()}`);
  await res.json();
  return performance.now() - started;
}

// 50 uploads of 20 MB at once; memory sampled every 20 ms while they run.
const before = memory();
let peak = { ...before };
const sampler = setInterval(() => {
  const m = memory();
  peak = { rss: Math.max(peak.rss, m.rss), anon: Math.max(peak.anon, m.anon) };
}, 20);
const big = Buffer.alloc(20 * 1024 * 1024, 7);
const uploadsStarted = performance.now();
await Promise.all(Array.from({ length: 50 }, (_, i) => upload(big, `video-${i}.mp4`)));
const uploadSeconds = (performance.now() - uploadsStarted) / 1000;
clearInterval(sampler);

// Warm up, then 4 tipsters for 15 s.
await tip();
const latencies = [];
const until = performance.now() + 15_000;
const loadStarted = performance.now();
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (performance.now() < until) latencies.push(await tip());
  }),
);
const seconds = (performance.now() - loadStarted) / 1000;
latencies.sort((a, b) => a - b);

const afterTips = memory();

console.log(
  JSON.stringify({
    photo_bytes: jpeg.length,
    tips: latencies.length,
    tips_per_s: Math.round((latencies.length / seconds) * 10) / 10,
    tip_ms_p50: Math.round(percentile(latencies, 50)),
    tip_ms_p99: Math.round(percentile(latencies, 99)),
    uploads_50x20mb_seconds: Math.round(uploadSeconds * 10) / 10,
    memory_before_uploads: before,
    memory_peak_during_uploads: peak,
    memory_after_tips: afterTips,
  }),
);
