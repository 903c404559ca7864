// The design as a reader sees it, in Chromium, on a story told one event a
// year (fixtures/sparse) and on the bundled month-long one: the axis is one
// line from the first event to the last however sparse the story, the key
// events page does not badge every item, and on a phone the navigation never
// leaves one link alone on a line and a thumbnail does not squeeze a headline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, watchedPage, open } from './lib/browser.js';
import { serveSite, BROWSER_DIR } from './lib/site.js';

const SPARSE = path.join(BROWSER_DIR, 'fixtures/sparse');

let browser;
let sparse;
let bundled;
before(async () => {
  browser = await launch();
  sparse = await serveSite({ root: SPARSE, prefix: '/westmere-bridge/' });
  bundled = await serveSite();
});
after(async () => {
  await browser?.close();
  await sparse?.close();
  await bundled?.close();
});

/** Opens `url` at `width` px in `scheme`; closes the page when the test ends. */
async function at(t, url, width, scheme = 'light') {
  const { page, problems, context } = await watchedPage(browser, { viewport: { width, height: 900 }, colorScheme: scheme });
  t.after(() => context.close());
  await open(page, url);
  return { page, problems };
}

/**
 * The axis as drawn: for each event on the page, in order, the top and bottom
 * of its stretch of line (the ::before of its .tl-axis) and the centre of its
 * dot, in page coordinates; `null` where no line is drawn.
 */
function axis(page) {
  return page.$$eval('.timeline > li.tl-item', (items) =>
    items.map((li) => {
      const mark = li.querySelector(':scope > .tl-axis');
      const box = mark.getBoundingClientRect();
      const line = getComputedStyle(mark, '::before');
      const dot = getComputedStyle(mark, '::after');
      const y = box.top + window.scrollY;
      const dotY = y + parseFloat(dot.top) + parseFloat(dot.height) / 2;
      if (line.display === 'none' || parseFloat(line.height) === 0) return { line: null, dot: dotY };
      const top = y + parseFloat(line.top);
      return { line: [top, top + parseFloat(line.height)], dot: dotY };
    }),
  );
}

for (const width of [1280, 375]) {
  test(`a story of one event a year reads as one line, first dot to last, at ${width} px`, async (t) => {
    const { page, problems } = await at(t, sparse.url(''), width);
    const events = await axis(page);
    assert.equal(events.length, 6);
    for (const [i, e] of events.entries()) {
      assert.ok(e.line, `event ${i + 1} of 6 draws its stretch of the axis`);
      assert.ok(e.line[0] <= e.dot + 1 && e.line[1] >= e.dot - 1, `event ${i + 1}: the line passes its dot`);
    }
    assert.ok(Math.abs(events[0].line[0] - events[0].dot) < 16, 'the line starts at the first dot');
    assert.ok(Math.abs(events[5].line[1] - events[5].dot) < 16, 'and ends at the last');
    // Between two events the line is broken only where a heading crosses it.
    const headings = await page.$$eval('.year-heading, .month-heading', (hs) =>
      hs.map((h) => {
        const r = h.getBoundingClientRect();
        return [r.top + window.scrollY, r.bottom + window.scrollY];
      }),
    );
    for (let i = 0; i < 5; i++) {
      const [from, to] = [events[i].line[1], events[i + 1].line[0]];
      const covered = headings.reduce((sum, [top, bottom]) => sum + Math.max(0, Math.min(to, bottom) - Math.max(from, top)), 0);
      const bare = Math.max(0, to - from - covered);
      assert.ok(bare <= 12, `between events ${i + 1} and ${i + 2}, ${Math.round(bare)} px without line or heading`);
    }
    assert.deepEqual(problems, []);
  });
}

test('the bundled timeline keeps its axis too: a month of one event is not a lone dot', async (t) => {
  const { page } = await at(t, bundled.url(''), 1280);
  const events = await axis(page);
  assert.ok(events.length >= 10);
  assert.deepEqual(
    events.map((e, i) => (e.line ? null : i)).filter((i) => i !== null),
    [],
    'every event draws its stretch',
  );
});

test('the key events page does not badge every event; the timeline badges the key ones', async (t) => {
  for (const site of [sparse, bundled]) {
    const { page } = await at(t, site.url('key/'), 1280);
    const items = await page.$$eval('.timeline > li.tl-item', (li) => li.length);
    assert.ok(items > 0);
    const badges = await page.$$eval('.badge-key', (b) => b.filter((x) => x.getClientRects().length > 0).length);
    assert.equal(badges, 0, `${site.url('key/')}: every event here is a key event`);
    await open(page, site.url(''));
    const shown = await page.$$eval('.badge-key', (b) => b.filter((x) => x.getClientRects().length > 0).length);
    const key = await page.$$eval('.timeline > li.importance-1', (li) => li.length);
    assert.equal(shown, key, 'on the timeline, each key event has its badge');
  }
});

for (const width of [320, 375]) {
  for (const scheme of ['light', 'dark']) {
    test(`at ${width} px (${scheme}), the site navigation leaves no link alone on a line`, async (t) => {
      for (const site of [sparse, bundled]) {
        const entry = site === sparse ? 'entries/first-crack/' : 'entries/milano-me-too-tweet/';
        const { page } = await at(t, site.url(entry), width, scheme);
        const rows = await page.$$eval('.site-nav a', (links) => {
          const byRow = new Map();
          for (const a of links) {
            const top = Math.round(a.getBoundingClientRect().top);
            byRow.set(top, (byRow.get(top) || 0) + 1);
          }
          return [...byRow.values()];
        });
        assert.equal(rows.reduce((a, b) => a + b, 0), 5, 'five links');
        assert.ok(rows.every((n) => n >= 2), `links per line: ${rows.join(', ')}`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(wide, 0, 'nothing scrolls sideways');
      }
    });
  }
}

for (const [name, url] of [['entry page', 'entries/first-crack/'], ['timeline', '']]) {
  test(`the ${name} does not move when a slow photo arrives (Layout Instability API)`, async (t) => {
    const { page, context } = await watchedPage(browser, { viewport: { width: 375, height: 900 } });
    t.after(() => context.close());
    // A slow phone: the CPU four times slower, and the photo a second late.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.route('**/*.png', async (route) => {
      await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    // Shifts are counted from the first frame after the script has run: the
    // script reveals the search form, which moves the timeline on a slow
    // machine (a shift of its own, not a photo's).
    await page.addInitScript(() => {
      window.__shift = 0;
      document.addEventListener('DOMContentLoaded', () => requestAnimationFrame(() => requestAnimationFrame(() => {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({ type: 'layout-shift' });
      })));
    });
    await page.goto(sparse.url(url));
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10000 });
    await page.waitForTimeout(200);
    const shift = await page.evaluate(() => window.__shift);
    assert.equal(shift, 0, `cumulative layout shift ${shift}`);
  });
}

test('at 375 px a thumbnail sits beside the summary, not the key headline', async (t) => {
  const { page } = await at(t, sparse.url(''), 375);
  const layout = await page.$eval('.tl-item.importance-1 .event-thumb', (img) => {
    const event = img.closest('.event');
    const title = event.querySelector('.event-title');
    const r = title.getBoundingClientRect();
    const lines = Math.round(r.height / parseFloat(getComputedStyle(title).lineHeight));
    return { lines, titleBottom: r.bottom, thumbTop: img.getBoundingClientRect().top, titleWidth: r.width, eventWidth: event.getBoundingClientRect().width };
  });
  assert.ok(layout.lines <= 3, `the headline takes ${layout.lines} lines`);
  assert.ok(layout.thumbTop >= layout.titleBottom - 1, 'the thumbnail is below the headline');
  assert.ok(layout.titleWidth >= layout.eventWidth - 1, 'the headline has the whole width');
});
