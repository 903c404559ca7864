// Every page of three built sites, visited in Chromium: the bundled timeline at
// the domain root and under a sub-path (/metoo/), and the showcase fixture
// (images, corrections, pagination, a third taxonomy, hostile text). On each
// page: no console error or warning, no uncaught exception, no failed request,
// no request to another host, every internal link and asset resolves inside the
// site's prefix, and nothing scrolls sideways at 320, 375 or 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watchedPage, open } from './lib/browser.js';
import { serveSite, htmlPages, SHOWCASE, REPO } from './lib/site.js';

const WIDTHS = [1280, 375, 320];
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function crawl(t, { root, prefix }) {
  const site = await serveSite({ root, prefix });
  t.after(site.close);
  const { page, problems, context } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  t.after(() => context.close());
  page.on('console', (msg) => {
    if (msg.type() === 'warning') problems.push(`console warning on ${page.url()}: ${msg.text()}`);
  });

  const pages = htmlPages(site.dir).filter((p) => p !== '404.html');
  const seen = new Set(pages.map((p) => site.url(p)));
  const queue = [...seen];
  const checked = new Map(); // non-HTML URL → HTTP status
  const overflow = [];
  const escapes = [];
  for (let i = 0; i < queue.length; i++) {
    const url = queue[i];
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await open(page, url);
    assert.equal(response.status(), 200, `${url} answered ${response.status()}`);
    const links = await page.$$eval('a[href], link[href], img[src], script[src]', (nodes) =>
      nodes.map((n) => n.href || n.src),
    );
    for (const link of links) {
      const target = new URL(link);
      if (target.origin !== site.origin) continue; // Sources on other hosts are not fetched.
      target.hash = '';
      if (!target.pathname.startsWith(prefix)) escapes.push(`${url} → ${target.href}`);
      const clean = target.href;
      const isPage = clean.endsWith('/') || clean.endsWith('.html');
      if (isPage && !seen.has(clean)) {
        seen.add(clean);
        queue.push(clean);
      } else if (!isPage && !checked.has(clean)) {
        checked.set(clean, (await fetch(clean)).status);
      }
    }
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (wide > 0) overflow.push(`${url} at ${width}px is ${wide}px too wide`);
    }
  }
  const broken = [...checked].filter(([, status]) => status !== 200).map(([u, s]) => `${u}: HTTP ${s}`);
  assert.deepEqual(problems, [], 'console errors, failed requests or requests to other hosts');
  assert.deepEqual(broken, [], 'internal links or assets that do not resolve');
  assert.deepEqual(escapes, [], `internal links outside ${prefix}`);
  assert.deepEqual(overflow, [], 'pages that scroll sideways');
  assert.ok(queue.length >= pages.length, 'every built page was visited');
  return { site, page, problems, visited: queue.length };
}

test('bundled timeline at the domain root: every page loads cleanly and fits 320–1280 px', async (t) => {
  const { visited } = await crawl(t, { root: REPO, prefix: '/' });
  t.diagnostic(`${visited} pages`);
});

test('bundled timeline under the sub-path /metoo/: every link stays inside it', async (t) => {
  const { site, page, problems } = await crawl(t, { root: REPO, prefix: '/metoo/' });
  // The script finds the search index under the prefix, and its results link
  // inside it.
  await open(page, site.url('?tag=metoo'));
  const metoo = site.index.entries.filter((e) => (e.terms.tags || []).includes('metoo'));
  assert.ok(metoo.length > 0 && metoo.length <= 10, 'one page of results');
  const results = await page.$$eval('.results .result-title a', (as) => as.map((a) => new URL(a.href).pathname));
  assert.deepEqual(results.sort(), metoo.map((e) => e.url).sort());
  assert.ok(site.requests.includes('/metoo/search/index.json'));
  assert.ok(site.index.entries.every((e) => e.url.startsWith('/metoo/')));
  // The 404 page is served at any address, so its links and assets must carry
  // the prefix from the root: a deep unknown URL still gets a styled page.
  page.expect404 = true;
  const response = await open(page, site.url('no/such/page/'));
  assert.equal(response.status(), 404);
  const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(styled, /system-ui/, 'the 404 page found its style sheet');
  const home = await page.getAttribute('.site-title a', 'href');
  assert.equal(home, '/metoo/');
  assert.deepEqual(problems.filter((p) => !p.includes('HTTP 404') && !p.includes('status of 404')), []);
});

test('showcase fixture (images, corrections, pagination, hostile text): every page loads cleanly', async (t) => {
  const { page } = await crawl(t, { root: SHOWCASE, prefix: '/showcase/' });
  // Titles and terms that look like markup were escaped on the way in, so
  // nothing in them ran.
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});
