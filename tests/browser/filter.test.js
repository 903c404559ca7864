// The timeline without JavaScript, and the filter that JavaScript adds: by term
// (one URL parameter per taxonomy), by free text over title and summary, and
// "key events only"; the address reflects the filter and loading it restores
// it; empty month and year sections disappear; the count is announced; text
// from the index stays text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watchedPage, open } from './lib/browser.js';
import { serveSite, SHOWCASE } from './lib/site.js';

let browser;
let site;
before(async () => {
  browser = await launch();
  site = await serveSite();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

// The expected answers, computed from search-index.json independently of the
// theme's script: a case- and accent-insensitive match of every word.
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\u2018\u2019]/g, "'").toLowerCase();
function expected(index, { terms = {}, q = '', key = false }) {
  return index.entries
    .filter((e) => !key || e.importance === 1)
    .filter((e) => Object.entries(terms).every(([tax, slugs]) => slugs.every((s) => (e.terms[tax] || []).includes(s))))
    .filter((e) => fold(q).split(/\s+/).filter(Boolean).every((w) => fold(`${e.title} ${e.summary}`).includes(w)))
    .map((e) => e.slug);
}

const visibleSlugs = (page) =>
  page.$$eval('.tl-item[data-slug]', (items) => items.filter((li) => li.offsetParent !== null).map((li) => li.dataset.slug));
const status = (page) => page.textContent('.filter-status');
const query = (page) => new URL(page.url()).search;

// The status line waits for typing to pause before it speaks: wait for it
// (up to 5 s on a busy machine), then compare, for a readable failure.
async function expectStatus(page, text) {
  await page
    .waitForFunction((t) => document.querySelector('.filter-status').textContent === t, text, { timeout: 5000 })
    .catch(() => {});
  assert.equal(await status(page), text);
}

test('without JavaScript the index lists and links every entry, and shows no filter', async (t) => {
  const { page, problems, context } = await watchedPage(browser, { javaScriptEnabled: false });
  t.after(() => context.close());
  page.jsEnabled = false;
  await open(page, site.url(''));
  const slugs = await page.$$eval('.tl-item[data-slug]', (items) => items.map((li) => li.dataset.slug));
  assert.deepEqual(slugs, site.index.entries.map((e) => e.slug), 'every entry, in the order of the index');
  const links = await page.$$eval('.tl-item .event-title a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, site.index.entries.map((e) => e.url));
  for (const href of links) assert.equal((await fetch(site.origin + href)).status, 200, href);
  assert.equal(await page.isVisible('form.filter'), false, 'the filter needs the script, so it stays hidden');
  assert.deepEqual(problems, []);
});

test('filter by a term, then by text: the right entries, the URL, the count, empty sections hidden', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  await open(page, site.url(''));
  const all = site.index.entries.length;
  assert.equal(await status(page), '', 'nothing to announce before the reader filters');
  assert.equal(await page.isVisible('form.filter button[type="reset"]'), false, 'nothing to clear yet');

  await page.click('.filter-terms summary');
  await page.check('.chip input[name="tag"][value="metoo"]');
  const metoo = expected(site.index, { terms: { tags: ['metoo'] } });
  assert.deepEqual(await visibleSlugs(page), metoo);
  assert.equal(query(page), '?tag=metoo');
  assert.equal(await status(page), `Showing ${metoo.length} of ${all} events.`);

  await page.fill('#filter-q', 'twitter');
  const both = expected(site.index, { terms: { tags: ['metoo'] }, q: 'twitter' });
  assert.ok(both.length > 0 && both.length < metoo.length, 'the text narrows the term');
  assert.deepEqual(await visibleSlugs(page), both);
  assert.equal(query(page), '?tag=metoo&q=twitter');
  await expectStatus(page, `Showing ${both.length} of ${all} events.`);
  assert.equal(await page.getAttribute('.filter-status', 'role'), 'status', 'announced by screen readers');

  // Only the 2006 entry matches "decade": the 2017 year is hidden, not left empty.
  await page.uncheck('.chip input[value="metoo"]');
  await page.fill('#filter-q', 'decade before');
  assert.deepEqual(await visibleSlugs(page), expected(site.index, { q: 'decade before' }));
  assert.equal(await page.isVisible('#y2017'), false);
  assert.equal(await page.isVisible('#y2006'), true);

  // Nothing matches: a note and a way out.
  await page.fill('#filter-q', 'zzzz-nothing');
  assert.deepEqual(await visibleSlugs(page), []);
  await expectStatus(page, 'No event matches these filters.');
  await page.click('.filter-empty .filter-clear');
  assert.equal((await visibleSlugs(page)).length, all);
  assert.equal(query(page), '');
  assert.equal(await status(page), `Showing all ${all} events.`);
  assert.equal(await page.inputValue('#filter-q'), '');
  assert.deepEqual(problems, []);
});

test('a shared URL with ?tag=…&q=… applies the filter on load; people, key events and several terms combine', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  await open(page, site.url('?tag=metoo&q=twitter'));
  assert.deepEqual(await visibleSlugs(page), expected(site.index, { terms: { tags: ['metoo'] }, q: 'twitter' }));
  assert.equal(await page.inputValue('#filter-q'), 'twitter');
  assert.equal(await page.isChecked('.chip input[value="metoo"]'), true);
  assert.equal(await page.getAttribute('.filter-terms', 'open'), '', 'the chosen terms are shown');

  await open(page, site.url('?people=alyssa-milano&tag=twitter'));
  const milano = expected(site.index, { terms: { people: ['alyssa-milano'], tags: ['twitter'] } });
  assert.deepEqual(await visibleSlugs(page), milano);
  // The plural name of the taxonomy works too.
  await open(page, site.url('?tags=twitter&people=alyssa-milano'));
  assert.deepEqual(await visibleSlugs(page), milano);

  await open(page, site.url('?key=1'));
  const key = expected(site.index, { key: true });
  assert.deepEqual(await visibleSlugs(page), key);
  assert.equal(await page.isChecked('input[name="key"]'), true);
  await page.uncheck('input[name="key"]');
  assert.equal(query(page), '');
  await page.check('input[name="key"]');
  assert.equal(query(page), '?key=1');
  // The key filter agrees with the pre-rendered /key/ page.
  const keyPage = await (await fetch(site.url('key/'))).text();
  for (const slug of key) assert.ok(keyPage.includes(`data-slug="${slug}"`), slug);

  // Accents and case do not matter; every word must match.
  await open(page, site.url('?q=WEINSTÉIN%20fires'));
  assert.deepEqual(await visibleSlugs(page), expected(site.index, { q: 'weinstein fires' }));
  assert.deepEqual(problems, []);
});

test('the filter on a term page, a paginated list, and text that looks like markup', async (t) => {
  const showcase = await serveSite({ root: SHOWCASE, prefix: '/showcase/' });
  t.after(showcase.close);
  const { page, problems, context } = await watchedPage(browser, { viewport: { width: 320, height: 700 } });
  t.after(() => context.close());

  // A term page offers no chip for its own term: it would match everything.
  await open(page, showcase.url('tags/launch/'));
  assert.equal(await page.$('.chip input[value="launch"]'), null);
  assert.ok(await page.$('.chip input[name="place"]'), 'places → ?place=…');
  // Taxonomies in the site's order, not alphabetical.
  assert.deepEqual(await page.$$eval('.filter-groups legend', (ls) => ls.map((l) => l.textContent)), ['Tags', 'People', 'Places']);
  assert.equal(await page.textContent('.filter-terms summary'), 'Filter by tags, people and places');

  // Page 1 of 2: the filter works on the events of this page.
  await open(page, showcase.url('?place=paris'));
  const onPage = await page.$$eval('.tl-item[data-slug]', (items) => items.map((li) => li.dataset.slug));
  const paris = expected(showcase.index, { terms: { places: ['paris'] } }).filter((s) => onPage.includes(s));
  assert.deepEqual(await visibleSlugs(page), paris);

  // Terms and titles with markup in them are shown as text by the script too.
  assert.equal(await page.getAttribute('.filter-terms', 'open'), '', 'opened by the term in the address');
  const bold = await page.$$eval('.chip span:first-of-type', (spans) => spans.map((s) => s.textContent));
  assert.ok(bold.includes('<b>bold</b>'), `chip texts: ${bold}`);
  assert.equal(await page.$('.chip b'), null, 'no element was made from a term');
  await page.uncheck('.chip input[value="paris"]');
  await page.check('.chip input[value="b-bold-b"]');
  assert.equal(query(page), '?tag=b-bold-b');
  assert.deepEqual(await visibleSlugs(page), ['hostile']);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // The open filter fits a 320 px screen.
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true);
  assert.deepEqual(problems, []);
});
