// The real TimelineJS3 library (npm @knight-lab/timelinejs, served from
// node_modules by the same local server, not from Knight Lab's CDN) loads our
// /timeline.json: one slide per entry plus the title slide, headlines that are
// our titles and link to our entry pages, no console error, and no request to
// any host but 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch, watchedPage } from './lib/browser.js';
import { serveSite, REPO, SHOWCASE } from './lib/site.js';

const require = createRequire(import.meta.url);
const DIST = path.join(path.dirname(require.resolve('@knight-lab/timelinejs/package.json')), 'dist');

const embed = (json) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>TimelineJS embed</title>
<link rel="stylesheet" href="/_tljs/css/timeline.css">
<script src="/_tljs/js/timeline.js"></script>
</head>
<body>
<div id="timeline-embed" style="width: 100%; height: 600px"></div>
<script>
  // script_path must be absolute for the library. font: null, because its
  // default font set pulls in Google Fonts: a newsroom that embeds our export
  // without calling other hosts sets the same.
  window.timeline = new TL.Timeline('timeline-embed', ${JSON.stringify(json)}, {
    script_path: location.origin + '/_tljs/js/',
    font: null,
  });
  window.timeline.on('loaded', () => { window.tlLoaded = true; });
</script>
</body>
</html>`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [name, root, prefix] of [
  ['the bundled timeline', REPO, '/'],
  ['the showcase (media, eras, every precision) under a sub-path', SHOWCASE, '/showcase/'],
]) {
  test(`TimelineJS3 renders ${name}: one slide per entry plus the title`, async (t) => {
    const pages = {};
    const site = await serveSite({ root, prefix, mounts: { '/_tljs/': DIST }, pages });
    t.after(site.close);
    pages['/_embed.html'] = embed(site.url('timeline.json'));
    const data = JSON.parse(fs.readFileSync(path.join(site.dir, 'timeline.json'), 'utf8'));
    assert.equal(data.events.length, site.index.entries.length, 'one event per entry');

    const { page, problems, context } = await watchedPage(browser, { viewport: { width: 1280, height: 800 } });
    t.after(() => context.close());
    await page.goto(`${site.origin}/_embed.html`);
    await page.waitForFunction(() => window.tlLoaded === true, null, { timeout: 15000 });
    await page.waitForTimeout(500); // Let late requests (images, fonts) show up.

    const slides = await page.$$eval('.tl-slide', (nodes) => nodes.length);
    assert.equal(slides, data.events.length + 1, 'title slide + one per entry');
    assert.equal(await page.evaluate(() => window.timeline.config.events.length), data.events.length);
    // Headlines are our titles (escaped in the JSON, so shown as plain text)
    // and link to our entry pages.
    const links = await page.$$eval('.tl-slide .tl-headline a', (as) => as.map((a) => [a.textContent, a.href]));
    const byUrl = new Map(site.index.entries.map((e) => [new URL(e.url, site.origin).href, e.title]));
    assert.equal(links.length, data.events.length);
    for (const [text, href] of links) {
      assert.ok(byUrl.has(href), `headline link ${href} is an entry page`);
      assert.equal(text, byUrl.get(href));
    }
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'escaped text did not run');
    assert.deepEqual(problems, [], 'console errors, failed requests, other hosts');
    // The library really went to our server for the data.
    assert.ok(site.requests.includes(`${prefix}timeline.json`));
  });
}
