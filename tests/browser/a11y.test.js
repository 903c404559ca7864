// Accessibility in Chromium: axe-core (WCAG 2.0–2.2 A/AA rules and best
// practices) on every kind of page in the light and the dark scheme, with a
// search shown; and keyboard use: Tab alone reaches every entry link on the
// index, each with a visible focus ring that no sticky heading covers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watchedPage, open, searched } from './lib/browser.js';
import { serveSite, SHOWCASE } from './lib/site.js';
import { seriousViolations, allViolations } from './lib/axe.js';

let browser;
let site;
let showcase;
before(async () => {
  browser = await launch();
  site = await serveSite();
  showcase = await serveSite({ root: SHOWCASE, prefix: '/showcase/' });
});
after(async () => {
  await browser?.close();
  await site?.close();
  await showcase?.close();
});

const PAGES = {
  index: '',
  entry: 'entries/milano-me-too-tweet/',
  term: 'tags/metoo/',
  'person term': 'people/alyssa-milano/',
  'year archive': '2017/',
  'month archive': '2017/10/',
  'key events': 'key/',
  'term list': 'people/',
  sources: 'sources/',
  corrections: 'corrections/',
};

for (const scheme of ['light', 'dark']) {
  test(`axe: no serious or critical violation on any kind of page, ${scheme} scheme`, async (t) => {
    const { page, problems, context } = await watchedPage(browser, { colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    t.after(() => context.close());
    const found = {};
    const minor = {};
    const check = async (name, url) => {
      await open(page, url);
      const serious = await seriousViolations(page);
      if (serious.length) found[name] = serious;
      const all = await allViolations(page);
      if (all.length) minor[name] = all;
    };
    for (const [name, path] of Object.entries(PAGES)) await check(name, site.url(path));
    await check('entry with image and corrections', showcase.url('entries/photo-day/'));
    await check('corrections log', showcase.url('corrections/'));
    await check('paginated index', showcase.url(''));
    // The search as a reader uses it: terms open, one chosen, text typed, so
    // the chips, the date lists, the status line and the results are checked
    // too (search.test.js checks more states).
    await open(page, site.url(''));
    await page.click('.search-filters summary');
    await page.check('.chip input[value="twitter"]');
    await page.fill('#search-q', 'milano');
    await searched(page);
    await page.waitForFunction(() => document.querySelector('.search-status').textContent !== '');
    const serious = await seriousViolations(page);
    if (serious.length) found['index, searched'] = serious;
    for (const [name, list] of Object.entries(minor)) t.diagnostic(`${name}: ${list.join('; ')}`);
    assert.deepEqual(found, {});
    assert.deepEqual(problems, []);
  });
}

test('keyboard: Tab alone reaches every entry link on the index, visibly and unobscured', async (t) => {
  const { page, problems, context } = await watchedPage(browser, { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  t.after(() => context.close());
  // Reduced motion: with smooth scrolling the page is still moving when focus lands.
  await open(page, site.url(''));
  const expected = site.index.entries.map((e) => e.url);
  const reached = new Set();
  const hidden = [];
  const unringed = [];
  // The first stop is the skip link, and it leads to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to content');
  // Forward to the footer, then back with Shift+Tab: going back is when a
  // sticky heading could cover the link the browser scrolls to the top.
  let key = 'Tab';
  for (let i = 0; i < 800; i++) {
    await page.keyboard.press(key);
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      // The first line box: between the lines of a wrapped link is its heading.
      const rect = el.getClientRects()[0] || el.getBoundingClientRect();
      const x = rect.left + Math.min(rect.width / 2, 8);
      const y = rect.top + rect.height / 2;
      const top = document.elementFromPoint(x, y);
      const style = getComputedStyle(el);
      return {
        href: el.getAttribute('href'),
        entry: !!el.closest('.event-title'),
        footer: !!el.closest('.site-footer'),
        // Focus not obscured (WCAG 2.4.11): what is drawn at the link is the link.
        visible: !!top && (top === el || el.contains(top)),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (!info) continue;
    if (info.entry) {
      reached.add(info.href);
      if (!info.visible) hidden.push(info.href);
      if (!info.ring) unringed.push(info.href);
    }
    if (info.footer) key = 'Shift+Tab'; // Past the timeline: now back up.
    if (key === 'Shift+Tab' && info.href === expected[0]) break;
  }
  assert.equal(key, 'Shift+Tab', 'Tab went past the timeline to the footer');
  assert.deepEqual([...reached].sort(), [...expected].sort(), 'every entry link takes focus');
  assert.deepEqual(hidden, [], 'focused links covered by a sticky heading');
  assert.deepEqual(unringed, [], 'focused links without a visible outline');
  assert.deepEqual(problems, []);
});

test('reduced motion and print: no smooth scrolling when reduced, and print hides the search and navigation', async (t) => {
  const { page, context } = await watchedPage(browser, { reducedMotion: 'reduce' });
  t.after(() => context.close());
  await open(page, site.url(''));
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), 'auto');
  await page.emulateMedia({ media: 'print' });
  const [search, nav, year] = await page.evaluate(() =>
    ['form[role="search"]', '.site-nav', '.year-heading'].map((s) => {
      const style = getComputedStyle(document.querySelector(s));
      return { display: style.display, position: style.position };
    }),
  );
  assert.equal(search.display, 'none');
  assert.equal(nav.display, 'none');
  assert.equal(year.position, 'static', 'headings do not stick on paper');
});
