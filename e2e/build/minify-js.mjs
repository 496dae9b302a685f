// Minifies each bundle's wasm-bindgen module (the `<bin>-<hash>.js` a page preloads) with terser,
// as Trunk's own minifier gives up on wasm-bindgen's `export { … as default }` and leaves it
// whole, and rewrites the page's Subresource Integrity hash of that file to match.
// Usage: node build/minify-js.mjs DIST — every index.html under DIST (cargo xtask build runs it
// before precompressing).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { minify } from 'terser';

const dist = process.argv[2];
if (!dist) throw new Error('usage: node build/minify-js.mjs DIST');

const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name === 'index.html' ? [path] : [];
  });
}

let files = 0;
let saved = 0;
for (const page of pages(dist)) {
  let html = readFileSync(page, 'utf8');
  // Trunk's modulepreload of the module: <link crossorigin href=/x/y-<hash>.js integrity=… rel=modulepreload>
  const modules = [...html.matchAll(/href="?(\/[^"\s>]+\.js)"?[^>]*rel="?modulepreload/g)].map((m) => m[1]);
  for (const href of new Set(modules)) {
    // A bundle's files sit beside its page, whatever address they are served at.
    const path = join(dirname(page), basename(href));
    const source = readFileSync(path);
    const before = sri(source);
    if (!html.includes(before)) throw new Error(`${page} does not carry the integrity of ${href}`);
    const out = await minify(source.toString('utf8'), {
      module: true,
      ecma: 2020,
      compress: { passes: 2 },
      format: { comments: false },
    });
    if (!out.code) throw new Error(`terser produced nothing for ${href}`);
    writeFileSync(path, out.code);
    html = html.replaceAll(before, sri(Buffer.from(out.code)));
    files += 1;
    saved += source.length - Buffer.byteLength(out.code);
  }
  writeFileSync(page, html);
}
console.log(`minified ${files} modules, ${saved} bytes less`);
