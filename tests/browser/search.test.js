// The whole-site search of dateline.js, in Chromium, on the bundled timeline
// (and a newest-first copy of it), a generated site of 452 entries on five
// timeline pages and several words chunks of the index, a generated one whose
// words need code-point order, and the showcase with its hostile text.
// What a search must find is worked out here from the Markdown the sites are
// built from, never from the script or the index it reads: a word is found in
// the title or terms (3 points) or the other text (1 point), every word must
// match, the last one as typed is a prefix, and results come best first, then
// in the site's order.
//
// Without JavaScript: every entry listed and linked, a note that search needs
// the script, no form. With it: the search finds an entry of the last page from
// the first; title matches rank above text matches; a word being typed is a
// prefix; accents, apostrophes and unspaced scripts fold as the indexer folds
// them; words are looked up in code-point order; English stems meet; terms, dates and key events combine with words,
// with the counts the chips show; the address holds the search, a reload or a
// shared link restores it and the back button returns to the previous one;
// "Show more" pages through results; a redeployed index is read again; text
// from the index stays text; axe finds nothing serious; no console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, watchedPage, open, searched } from './lib/browser.js';
import { serveSite, build, SHOWCASE, REPO } from './lib/site.js';
import { serve } from './lib/server.js';
import { writeSyntheticSite, writeUnicodeSite, SPECIAL, LATE_BMP, ASTRAL } from './lib/synthetic.js';
import { seriousViolations } from './lib/axe.js';

let browser;
let bundled;
let generated;
let synthetic;
before(async () => {
  browser = await launch();
  bundled = await serveSite();
  synthetic = writeSyntheticSite(450);
  generated = await serveSite({ root: synthetic.root });
});
after(async () => {
  await browser?.close();
  await bundled?.close();
  await generated?.close();
  if (synthetic) fs.rmSync(synthetic.root, { recursive: true, force: true });
});

/* ---- What a search must find, worked out from the content ---- */

// Words as a reader would see them: case, accents and curly quotes aside.
const words = (text) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[\u2018\u2019]/g, "'")
    .match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) || [];

// An entry as the search sees it: the words of its title and terms (strong),
// of the rest of its text (weak).
const searchable = (e) => ({
  ...e,
  strong: new Set(words([e.title, ...Object.values(e.terms).flat()].join(' '))),
  weak: new Set(words([e.summary, e.body, ...(e.extra || [])].join(' '))),
});

// The bundled site's entries, read from its Markdown: front matter by line
// (the files are simple), the body without link destinations.
function bundledEntries() {
  const dir = path.join(REPO, 'content');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const [, front, body] = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
    // A YAML scalar as these files write them: quoted (JSON-like) or plain.
    const value = (v) => (/^["[]/.test(v) ? JSON.parse(v) : v);
    const field = (name) => {
      const m = front.match(new RegExp(`^${name}: (.*)$`, 'm'));
      return m ? value(m[1]) : '';
    };
    const extra = [...front.matchAll(/^\s+(?:- )?(?:title|publisher): (.*)$/gm)].map((m) => value(m[1]));
    return searchable({
      slug: file.replace(/^\d{4}(-\d\d){0,2}-/, '').replace(/\.md$/, ''),
      title: field('title'),
      summary: field('summary'),
      body: body.replace(/\]\([^)]*\)/g, ']'),
      extra,
      importance: Number(field('importance') || 2),
      terms: { tags: field('tags') || [], people: field('people') || [] },
    });
  });
}

/**
 * The slugs a search must return, best first: `q` as typed (its last word a
 * prefix unless it ends in a space), `terms` by taxonomy → slugs (every one
 * must match), `from`/`to` month keys, `key` for key events only. `order` is
 * the site's order of slugs; `slugOf` turns a taxonomy and a term name into
 * its slug. `family`, when given, says which words of the text a query word
 * stands for (a stem's forms).
 */
function expected(entries, { order, slugOf }, { q = '', terms = {}, from = '', to = '', key = false, family }) {
  const query = words(q);
  const typing = !/\s$/.test(q) && query.length > 0 && query.at(-1).length >= 2;
  const rank = new Map(order.map((slug, i) => [slug, i]));
  const start = (k) => (k.length === 4 ? k + '-01' : k);
  const end = (k) => (k.length === 4 ? k + '-12' : k);
  const out = [];
  for (const e of entries) {
    if (key && e.importance !== 1) continue;
    if (from && start(e.key) < start(from)) continue;
    if (to && end(e.key) > end(to)) continue;
    const has = (tax, slug) => (e.terms[tax] || []).some((name) => slugOf(tax, name) === slug);
    if (!Object.entries(terms).every(([tax, slugs]) => slugs.every((slug) => has(tax, slug)))) continue;
    let score = 0;
    let all = true;
    query.forEach((w, i) => {
      const matches = family ? (t) => family(w, t) : i === query.length - 1 && typing ? (t) => t.startsWith(w) : (t) => t === w;
      const points = [...e.strong].some(matches) ? 3 : [...e.weak].some(matches) ? 1 : 0;
      if (!points) all = false;
      score += points;
    });
    if (all) out.push([e.slug, score]);
  }
  out.sort((a, b) => b[1] - a[1] || rank.get(a[0]) - rank.get(b[0]));
  return out.map(([slug]) => slug);
}

const siteOf = (site) => ({
  order: site.index.entries.map((e) => e.slug),
  slugOf: (tax, name) => Object.entries(site.index.terms[tax]).find(([, n]) => n === name)?.[0],
});

/* ---- Reading the page ---- */

const slugOf = (href) => href.match(/\/entries\/([^/]+)\/$/)[1];
const resultSlugs = (page) => page.$$eval('.results .result-title a', (as) => as.map((a) => a.href)).then((l) => l.map(slugOf));
const status = (page) => page.textContent('.search-status');
const matchText = (n) => (n === 0 ? 'No event matches' : n === 1 ? '1 event matches' : `${n} events match`);

// The status speaks once typing pauses: wait for it, then compare, for a
// readable failure.
async function expectStatus(page, text) {
  await page.waitForFunction((t) => document.querySelector('.search-status').textContent === t, text, { timeout: 5000 }).catch(() => {});
  assert.equal(await status(page), text);
}

// Every result, pressing "Show more" until there are no more.
async function allResults(page) {
  while (await page.isVisible('.search-more')) {
    const before = (await resultSlugs(page)).length;
    await page.click('.search-more');
    await page.waitForFunction((n) => document.querySelectorAll('.results > li').length > n, before);
  }
  return resultSlugs(page);
}

async function search(page, q) {
  await page.fill('#search-q', q);
  await searched(page);
}

/* ---- Tests ---- */

test('without JavaScript: every entry is listed and linked, a note says search needs the script, no form', async (t) => {
  const { page, problems, context } = await watchedPage(browser, { javaScriptEnabled: false });
  t.after(() => context.close());
  page.jsEnabled = false;
  await open(page, bundled.url(''));
  const slugs = await page.$$eval('.tl-item[data-slug]', (items) => items.map((li) => li.dataset.slug));
  assert.deepEqual(slugs, bundled.index.entries.map((e) => e.slug), 'every entry, in the order of the site');
  const links = await page.$$eval('.tl-item .event-title a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, bundled.index.entries.map((e) => e.url));
  for (const href of links) assert.equal((await fetch(bundled.origin + href)).status, 200, href);
  assert.equal(await page.isVisible('form[role="search"]'), false, 'the form needs the script');
  assert.equal(await page.isVisible('.search-results'), false);
  assert.match(await page.textContent('.search-noscript'), /Searching needs JavaScript/);
  assert.equal(await page.isVisible('.search-noscript'), true);

  // The generated site spreads its entries over pages, each linked.
  await open(page, generated.url(''));
  const pages = await page.$$eval('.pagination a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(pages.length >= 5, `pagination links: ${pages}`);
  assert.deepEqual(problems, []);
});

test('with JavaScript the form is shown, labelled, and the note is not', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  for (const url of [bundled.url(''), bundled.url('2017/10/'), bundled.url('tags/metoo/'), bundled.url('key/'), generated.url('page/3/')]) {
    await open(page, url);
    assert.equal(await page.isVisible('form[role="search"]'), true, url);
    assert.equal(await page.isVisible('.search-noscript'), false, url);
  }
  assert.equal(await page.getAttribute('form[role="search"]', 'aria-label'), 'Search the whole timeline');
  assert.equal(await page.textContent('label[for="search-q"]'), 'Search the timeline');
  assert.equal(await page.getAttribute('#search-q', 'name'), 'q');
  // The index is read when the reader turns to the search, not before.
  assert.equal(generated.requests.filter((r) => r.includes('/search/')).length, 0, 'nothing fetched before use');
  await page.focus('#search-q');
  await page.waitForFunction(() => document.querySelector('.search-groups fieldset'));
  assert.ok(generated.requests.some((r) => r.endsWith('/search/index.json')));
  assert.deepEqual(problems, []);
});

test('whole site: a word only in the body of an entry on the last page is found from page 1', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  const entry = synthetic.entries.find((e) => e.body.includes(SPECIAL.unique));
  await open(page, generated.url(''));
  assert.equal(await page.$(`.tl-item[data-slug="${entry.slug}"]`), null, 'not on page 1');
  const numbers = await page.$$eval('.pagination a', (as) => as.map((a) => parseInt(a.textContent.replace(/\D/g, ''), 10)));
  const last = Math.max(...numbers.filter(Number.isFinite));
  assert.ok(last >= 5, `${last} pages`);
  const lastPage = await (await fetch(generated.url(`page/${last}/`))).text();
  assert.ok(lastPage.includes(`data-slug="${entry.slug}"`), `on the last page, ${last}`);

  await search(page, SPECIAL.unique);
  assert.deepEqual(await resultSlugs(page), [entry.slug]);
  await expectStatus(page, '1 event matches');
  assert.equal(await page.isVisible('.timeline-wrap'), false, 'the timeline gives way to the results');
  assert.equal(await page.isVisible('.pagination'), false);
  const href = await page.getAttribute('.results a', 'href');
  assert.equal(href, generated.url(`entries/${entry.slug}/`));
  assert.equal((await fetch(href)).status, 200);
  // The date as the site shows it, machine-readable.
  const shown = generated.index.entries.find((e) => e.slug === entry.slug);
  assert.equal(await page.textContent('.results time'), shown.display);
  assert.equal(await page.getAttribute('.results time', 'datetime'), entry.date);

  // Nothing: said plainly.
  await search(page, 'nosuchwordanywhere');
  assert.deepEqual(await resultSlugs(page), []);
  await expectStatus(page, 'No event matches');
  assert.equal(await page.getAttribute('.search-status', 'role'), 'status');
  assert.equal(await page.getAttribute('.search-status', 'aria-live'), 'polite');

  // Cleared: the timeline is back, the address too, focus in the box.
  await page.click('.search-clear');
  await searched(page);
  assert.equal(await page.isVisible('.timeline-wrap'), true);
  assert.equal(await page.isVisible('.search-results'), false);
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.inputValue('#search-q'), '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
  assert.deepEqual(problems, []);
});

test('ranking: a title match comes before body matches, then the site order', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  await open(page, generated.url(''));
  await search(page, SPECIAL.ranked + ' ');
  const want = expected(synthetic.entries.map(searchable), siteOf(generated), { q: SPECIAL.ranked + ' ' });
  assert.deepEqual(want, ['event-300', 'event-100', 'event-200'], 'the generated content is as the test expects');
  assert.deepEqual(await resultSlugs(page), want);
  assert.equal(await page.textContent('.results > li:first-child .result-title mark'), SPECIAL.ranked, 'the word is marked');
  assert.deepEqual(problems, []);
});

test('prefix: a word being typed finds the words it begins; ended by a space, it is a whole word', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  const entries = synthetic.entries.map(searchable);
  await open(page, generated.url(''));
  await page.locator('#search-q').pressSequentially(SPECIAL.prefix, { delay: 30 });
  await searched(page);
  const want = expected(entries, siteOf(generated), { q: SPECIAL.prefix });
  assert.deepEqual(want, ['event-60', 'event-50', 'event-51', 'event-52'], '"Quokkas" in a title, "quokkaroo" in bodies');
  assert.deepEqual(await resultSlugs(page), want);
  await expectStatus(page, '4 events match');
  assert.equal(new URL(page.url()).searchParams.get('q'), SPECIAL.prefix);
  await page.keyboard.press('Space');
  await searched(page);
  assert.deepEqual(await resultSlugs(page), [], 'no word is "quokka" itself');

  // A prefix whose words run across two chunks of the index, and more results
  // than a page of them: "Show more" brings ten at a time, focus on the first new.
  const toc = JSON.parse(fs.readFileSync(path.join(generated.dir, 'search/index.json'), 'utf8'));
  assert.ok(toc.words.length > 3, `${toc.words.length} words chunks`);
  const prefix = toc.words[2][0].slice(0, 2);
  await search(page, prefix);
  const many = expected(entries, siteOf(generated), { q: prefix });
  assert.ok(many.length > 20, `${many.length} entries have a word beginning "${prefix}"`);
  await expectStatus(page, matchText(many.length));
  assert.deepEqual(await resultSlugs(page), many.slice(0, 10));
  await page.click('.search-more');
  await page.waitForFunction(() => document.querySelectorAll('.results > li').length > 10);
  assert.deepEqual(await resultSlugs(page), many.slice(0, 20));
  assert.equal(slugOf(await page.evaluate(() => document.activeElement.href)), many[10], 'focus on the first new result');
  assert.deepEqual(await allResults(page), many);
  assert.equal(await page.isVisible('.search-more'), false);
  assert.deepEqual(problems, []);
});

test('words as readers type them: accents, case, curly apostrophes, scripts without spaces', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  await open(page, generated.url(''));
  for (const [q, slug] of [
    ['cafe MULLER', 'event-70'],
    ['Café Müller', 'event-70'],
    ["marchetti's ", 'event-90'],
    ['Marchetti’s', 'event-90'],
    ['京都', 'event-80'],
    ['東京都', 'event-80'],
  ]) {
    await search(page, q);
    assert.deepEqual(await resultSlugs(page), [slug], q);
  }
  await search(page, 'cafe');
  assert.equal(await page.textContent('.results mark'), 'Café', 'the title keeps its accent, marked');
  assert.deepEqual(problems, []);
});

test('words are looked up in code-point order, as the index sorts them, not UTF-16 order', async (t) => {
  const unicode = writeUnicodeSite(400);
  t.after(() => fs.rmSync(unicode.root, { recursive: true, force: true }));
  const site = await serveSite({ root: unicode.root });
  t.after(site.close);
  // The premise: a words chunk begins with a letter from U+E000 to U+FFFF,
  // and the astral word comes after it.
  const toc = JSON.parse(fs.readFileSync(path.join(site.dir, 'search/index.json'), 'utf8'));
  const late = toc.words.findIndex(([first]) => first.codePointAt(0) >= 0xe000 && first.codePointAt(0) <= 0xffff);
  assert.ok(late > 0, `chunks begin with ${toc.words.map((w) => w[0]).join(' ')}`);
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  await open(page, site.url(''));
  await search(page, ASTRAL);
  assert.deepEqual(await resultSlugs(page), ['entry-123']);
  // A pair of the late letters: the entries where they stand side by side.
  const pair = LATE_BMP[0] + LATE_BMP[1];
  await search(page, pair);
  const want = unicode.entries.filter((e) => e.title.includes(pair) || e.body.includes(pair)).map((e) => e.slug);
  assert.ok(want.length > 0);
  assert.deepEqual((await allResults(page)).sort(), want.sort());
  assert.deepEqual(problems, []);
});

test('stems on the bundled English site: "allegation", "tweets", "reporting" find their other forms', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  const entries = bundledEntries();
  const site = siteOf(bundled);
  await open(page, bundled.url(''));
  for (const [q, family] of [
    // Being typed: a prefix as well as a stem.
    ['allegation', (w, t) => /^allegations?$/.test(t)],
    // Whole words (a space after): found by their stem only.
    ['tweets ', (w, t) => /^tweet(s|ed|ing)?$/.test(t)],
    ['reporting ', (w, t) => /^report(s|ed|ing|ers?)?$/.test(t)],
  ]) {
    await search(page, q);
    const want = expected(entries, site, { q, family });
    assert.ok(want.length >= 2, `${q}: ${want}`);
    assert.deepEqual((await allResults(page)).sort(), [...want].sort(), q);
    await expectStatus(page, matchText(want.length));
  }
  // The plain word and a form that only a stem links: entries with "tweet" and
  // not "tweets" are found by "tweets".
  const singular = entries.filter((e) => [...e.strong, ...e.weak].includes('tweet') && ![...e.strong, ...e.weak].includes('tweets'));
  await search(page, 'tweets ');
  const found = await allResults(page);
  assert.ok(singular.length > 0 && singular.every((e) => found.includes(e.slug)), 'stem, not prefix');
  assert.deepEqual(problems, []);
});

test('terms, dates and key events combine with words; the chips count the results', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  const entries = synthetic.entries.map(searchable);
  const site = siteOf(generated);
  await open(page, generated.url(''));
  await search(page, 'harbor');
  await page.click('.search-filters summary');
  await page.check('.chip input[name="tag"][value="budget"]');
  await searched(page);
  await page.selectOption('select[name="from"]', '2015-03');
  await searched(page);
  await page.selectOption('select[name="to"]', '2015-09');
  await searched(page);
  await page.check('input[name="key"]');
  await searched(page);
  const state = { q: 'harbor', terms: { tags: ['budget'] }, from: '2015-03', to: '2015-09', key: true };
  const want = expected(entries, site, state);
  assert.ok(want.length >= 2, `${want.length} results`);
  assert.ok(want.length < expected(entries, site, { ...state, key: false }).length, 'key events narrow it');
  assert.deepEqual(await allResults(page), want);
  await expectStatus(page, matchText(want.length));
  assert.equal(new URL(page.url()).search, '?q=harbor&tag=budget&from=2015-03&to=2015-09&key=1');
  assert.match(await page.textContent('.search-filters summary'), /Dates and terms \(3 chosen\)/);

  // Each chip counts the results that have its term.
  const chips = await page.$$eval('.chip', (cs) => cs.map((c) => {
    const box = c.querySelector('input');
    return [box.name, box.value, parseInt(c.querySelector('.n').textContent, 10)];
  }));
  const taxonomy = { tag: 'tags', people: 'people', place: 'places' };
  assert.ok(chips.length >= 6 + 4 + 20, `${chips.length} chips`);
  for (const [param, slug, count] of chips) {
    const tax = taxonomy[param];
    const has = want.filter((s) => (synthetic.entries.find((e) => e.slug === s).terms[tax] || []).some((n) => site.slugOf(tax, n) === slug));
    assert.equal(count, has.length, `chip ${param}=${slug}`);
  }

  // Years and months to choose from: a year dated only by its year comes in
  // with a range that holds the whole year.
  const options = await page.$$eval('select[name="from"] option', (os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(options.slice(0, 4), [['', 'Any date'], ['2014', '2014'], ['2015', '2015'], ['2015-01', 'January 2015']]);
  await open(page, generated.url('?from=2014&to=2014'));
  assert.deepEqual(await resultSlugs(page), ['background']);
  // A range from June 2014 cannot say the entry of "2014" is in it.
  await open(page, generated.url('?from=2014-06&to=2015-01'));
  const january = expected(entries, site, { from: '2014-06', to: '2015-01' });
  assert.ok(!january.includes('background') && january.length === 31);
  assert.deepEqual(await allResults(page), january);
  await open(page, generated.url('?from=2015-06&to=2015-06&tag=housing'));
  assert.deepEqual(await allResults(page), expected(entries, site, { from: '2015-06', to: '2015-06', terms: { tags: ['housing'] } }));
  assert.ok((await resultSlugs(page)).includes('month'), 'an entry dated by its month is in that month');

  // A term not among those the index offers as chips, from a shared address:
  // read from the index's other terms, and given a chip, checked.
  const toc = JSON.parse(fs.readFileSync(path.join(generated.dir, 'search/index.json'), 'utf8'));
  const places = toc.taxonomies.find((x) => x.name === 'places');
  const top = new Set(places.top.map((x) => x[0]));
  const rare = Object.keys(generated.index.terms.places).find((slug) => !top.has(slug));
  assert.ok(rare && places.rest.length, 'the generated site has places past the top ones');
  await open(page, generated.url(`?place=${rare}&q=harbor`));
  const rareWant = expected(entries, site, { q: 'harbor', terms: { places: [rare] } });
  assert.ok(rareWant.length > 0);
  assert.deepEqual(await allResults(page), rareWant);
  assert.equal(await page.isChecked(`.chip input[name="place"][value="${rare}"]`), true);
  assert.equal(await page.getAttribute('.search-filters', 'open'), '', 'opened by the term in the address');

  // No words, only filters: every entry that has them.
  await open(page, generated.url('?tag=police&key=1'));
  assert.deepEqual(await allResults(page), expected(entries, site, { terms: { tags: ['police'] }, key: true }));
  // Key events only agrees with the site's own page of them.
  await open(page, generated.url('?key=1'));
  const keyPage = await (await fetch(generated.url('key/'))).text();
  const listed = [...keyPage.matchAll(/data-slug="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual((await allResults(page)).sort(), listed.sort());
  assert.equal(await page.isChecked('input[name="key"]'), true);
  assert.deepEqual(problems, []);
});

test('a newest-first site breaks ties newest first, as its timeline lists them', async (t) => {
  const copy = fs.mkdtempSync(path.join(path.dirname(bundled.dir), 'newest-'));
  t.after(() => fs.rmSync(copy, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO, 'content'), path.join(copy, 'content'), { recursive: true });
  const config = fs.readFileSync(path.join(REPO, 'site.yaml'), 'utf8').replace(/^order: .*$/m, 'order: newest-first');
  assert.match(config, /order: newest-first/);
  fs.writeFileSync(path.join(copy, 'site.yaml'), config);
  const newest = await serveSite({ root: copy });
  t.after(newest.close);
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  await open(page, newest.url(''));
  const order = await page.$$eval('.tl-item[data-slug]', (items) => items.map((li) => li.dataset.slug));
  assert.equal(order.at(-1), 'tarana-burke-me-too', 'the timeline shows the oldest last');
  await search(page, 'twitter');
  const want = expected(bundledEntries(), { order, slugOf: siteOf(newest).slugOf }, { q: 'twitter' });
  assert.ok(want.length > 3);
  assert.deepEqual(await allResults(page), want);
  assert.deepEqual(problems, []);
});

test('the address holds the search: loading or reloading it restores it, back returns to the previous one', async (t) => {
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  const entries = bundledEntries();
  const site = siteOf(bundled);
  const url = bundled.url('?q=twitter&tag=metoo');
  await open(page, url);
  const want = expected(entries, site, { q: 'twitter', terms: { tags: ['metoo'] } });
  assert.ok(want.length > 0);
  assert.deepEqual(await allResults(page), want);
  assert.equal(await page.inputValue('#search-q'), 'twitter');
  assert.equal(await page.isChecked('.chip input[value="metoo"]'), true);
  await expectStatus(page, matchText(want.length));
  await page.reload();
  await searched(page);
  assert.deepEqual(await allResults(page), want, 'after a reload');

  // Links shared with the taxonomy's own name still work.
  await open(page, bundled.url('?tags=metoo&q=twitter'));
  assert.deepEqual(await allResults(page), want);
  assert.equal(new URL(page.url()).search, '?q=twitter&tag=metoo');

  // Two searches, each let settle, then back, back.
  await open(page, bundled.url(''));
  await search(page, 'weinstein');
  await page.waitForTimeout(1300);
  await search(page, 'burke');
  await page.waitForTimeout(1300);
  assert.equal(new URL(page.url()).search, '?q=burke');
  const burke = expected(entries, site, { q: 'burke' });
  assert.deepEqual(await allResults(page), burke);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#search-q').value === 'weinstein');
  await searched(page);
  assert.equal(new URL(page.url()).search, '?q=weinstein');
  assert.deepEqual(await allResults(page), expected(entries, site, { q: 'weinstein' }));
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#search-q').value === '');
  await searched(page);
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.isVisible('.timeline-wrap'), true, 'back to the timeline');
  assert.equal(await page.isVisible('.search-results'), false);
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('#search-q').value === 'weinstein');
  await searched(page);
  assert.equal(await page.isVisible('.timeline-wrap'), false);
  assert.deepEqual(problems, []);
});

test('text from the index stays text: hostile titles and terms of the showcase', async (t) => {
  const showcase = await serveSite({ root: SHOWCASE, prefix: '/showcase/' });
  t.after(showcase.close);
  const { page, problems, context } = await watchedPage(browser, { viewport: { width: 320, height: 700 } });
  t.after(() => context.close());
  await open(page, showcase.url('?q=hostile'));
  const hostile = showcase.index.entries.find((e) => e.slug === 'hostile');
  assert.deepEqual(await resultSlugs(page), ['hostile']);
  assert.equal(await page.textContent('.results .result-title'), hostile.title);
  assert.match(hostile.title, /<script>/);
  assert.equal(await page.$('.results script, .results img, .results b'), null, 'no element made from the text');
  assert.equal(await page.textContent('.results .result-snippet'), hostile.summary);
  const terms = await page.$$eval('.results .term a', (as) => as.map((a) => a.textContent));
  assert.ok(terms.includes('<b>bold</b>'), `terms: ${terms}`);
  await page.click('.search-filters summary');
  // Taxonomies in the site's order, not alphabetical.
  assert.deepEqual(await page.$$eval('.search-groups legend', (ls) => ls.map((l) => l.textContent)), ['Tags', 'People', 'Places']);
  const chips = await page.$$eval('.chip-name', (spans) => spans.map((s) => s.textContent));
  assert.ok(chips.includes('<b>bold</b>'), `chips: ${chips}`);
  assert.equal(await page.$('.chip b'), null);
  await page.check('.chip input[value="b-bold-b"]');
  await searched(page);
  assert.equal(new URL(page.url()).search, '?q=hostile&tag=b-bold-b');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // Under a sub-path, links resolve inside it; the open search fits 320 px.
  assert.equal(await page.getAttribute('.results a', 'href'), showcase.url('entries/hostile/'));
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true);
  assert.deepEqual(problems, []);
});

test('a redeployed site: a chunk gone from the old table of contents makes the script read the new one', async (t) => {
  // Two builds of the bundled site, the second with one more entry; the
  // server swaps them once the page has read the first table of contents.
  const copy = fs.mkdtempSync(path.join(path.dirname(bundled.dir), 'redeploy-'));
  fs.cpSync(path.join(REPO, 'content'), path.join(copy, 'content'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'site.yaml'), path.join(copy, 'site.yaml'));
  fs.writeFileSync(path.join(copy, 'content/2017-10-20-late-addition.md'),
    '---\ntitle: "A late addition"\ndate: 2017-10-20\n---\n\nThe word quillwort is only here.\n');
  let dir = null;
  const server = await serve({ site: () => dir });
  t.after(server.close);
  const first = build(REPO, server.base);
  const second = build(copy, server.base);
  t.after(() => [first, second].forEach((d) => fs.rmSync(path.dirname(d), { recursive: true, force: true })));
  t.after(() => fs.rmSync(copy, { recursive: true, force: true }));
  dir = first;
  const { page, problems, context } = await watchedPage(browser);
  t.after(() => context.close());
  page.expect404 = true;
  await open(page, server.url(''));
  await page.focus('#search-q');
  await page.waitForFunction(() => document.querySelector('.search-groups fieldset'));
  dir = second;
  await search(page, 'quillwort');
  await expectStatus(page, '1 event matches');
  assert.deepEqual(await resultSlugs(page), ['late-addition']);
  const missing = server.requests.filter((r) => r.startsWith('/search/') && !fs.existsSync(path.join(second, r)));
  assert.ok(missing.length > 0, 'the old chunk was asked for and missing');
  assert.equal(server.requests.filter((r) => r === '/search/index.json').length, 2, 'the table read again, once');
  assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
});

for (const scheme of ['light', 'dark']) {
  test(`axe: no serious or critical violation with results, chips and dates shown, ${scheme} scheme`, async (t) => {
    const { page, problems, context } = await watchedPage(browser, { colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    t.after(() => context.close());
    await open(page, bundled.url('?q=milano&tag=twitter&from=2017-10'));
    assert.ok((await resultSlugs(page)).length > 0);
    assert.equal(await page.getAttribute('.search-filters', 'open'), '');
    assert.deepEqual(await seriousViolations(page), []);
    await open(page, bundled.url('?q=nosuchword'));
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(problems, []);
  });
}

test('keyboard: the search box, filters, chips, results and "Show more" are reached with Tab alone', async (t) => {
  const { page, problems, context } = await watchedPage(browser, { reducedMotion: 'reduce' });
  t.after(() => context.close());
  await open(page, generated.url('?q=harbor'));
  await page.focus('#search-q');
  const stops = [];
  for (let i = 0; i < 200 && stops.at(-1) !== 'search-more'; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => {
      const el = document.activeElement;
      return el.matches('summary') ? 'summary' : el.name || el.className || el.tagName;
    }));
    if (stops.at(-1) === 'summary') await page.keyboard.press('Enter'); // Open it.
  }
  for (const want of ['key', 'summary', 'from', 'to', 'tag', 'search-clear', 'search-more']) {
    assert.ok(stops.includes(want), `${want} in ${stops.join(' ')}`);
  }
  assert.deepEqual(problems, []);
});
