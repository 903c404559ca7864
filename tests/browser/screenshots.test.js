// Screenshots of the bundled site for the README and for review, written to
// docs/screenshots/: the index and an entry page at 1280 and 375 px, in the
// light scheme, after the filter script has run. They are pictures, not
// assertions; the other tests check what they show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, watchedPage, open } from './lib/browser.js';
import { serveSite, REPO } from './lib/site.js';

const OUT = path.join(REPO, 'docs/screenshots');
const SHOTS = [
  ['index-1280.png', '', { width: 1280, height: 1100 }],
  ['entry-1280.png', 'entries/milano-me-too-tweet/', { width: 1280, height: 1100 }],
  ['index-375.png', '', { width: 375, height: 812 }],
  ['entry-375.png', 'entries/milano-me-too-tweet/', { width: 375, height: 812 }],
];

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

test('screenshots of the index and an entry page at 1280 and 375 px', async (t) => {
  fs.mkdirSync(OUT, { recursive: true });
  for (const [file, url, viewport] of SHOTS) {
    const { page, problems, context } = await watchedPage(browser, {
      viewport,
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    await open(page, site.url(url));
    await page.screenshot({ path: path.join(OUT, file) });
    await context.close();
    assert.deepEqual(problems, []);
    assert.ok(fs.statSync(path.join(OUT, file)).size > 10000, `${file} has content`);
    t.diagnostic(`docs/screenshots/${file}`);
  }
});
