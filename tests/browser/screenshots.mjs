// Makes the screenshots of the bundled site for the README and for review; a
// generator, not a test (the test run never writes into the repository):
//
//   node tests/browser/screenshots.mjs [OUT_DIR]
//
// from the repository root, after `cargo build --release` (or with
// DATELINE_BIN set). It writes {index,entry}-{1280,375}.png to OUT_DIR,
// docs/screenshots/ by default: the index and an entry page at 1280 and 375
// px, in the light scheme, after the search script has run. It fails, writing
// nothing more, if a page logs an error or a request fails; the tests check
// what the pictures show.
import fs from 'node:fs';
import path from 'node:path';
import { launch, watchedPage, open } from './lib/browser.js';
import { serveSite, REPO } from './lib/site.js';

const OUT = path.resolve(process.argv[2] ?? path.join(REPO, 'docs/screenshots'));
const SHOTS = [
  ['index-1280.png', '', { width: 1280, height: 1100 }],
  ['entry-1280.png', 'entries/milano-me-too-tweet/', { width: 1280, height: 1100 }],
  ['index-375.png', '', { width: 375, height: 812 }],
  ['entry-375.png', 'entries/milano-me-too-tweet/', { width: 375, height: 812 }],
];

const browser = await launch();
const site = await serveSite();
try {
  fs.mkdirSync(OUT, { recursive: true });
  for (const [file, url, viewport] of SHOTS) {
    const { page, problems, context } = await watchedPage(browser, {
      viewport,
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    await open(page, site.url(url));
    const to = path.join(OUT, file);
    await page.screenshot({ path: to });
    await context.close();
    if (problems.length > 0) throw new Error(`${file}:\n${problems.join('\n')}`);
    if (fs.statSync(to).size <= 10000) throw new Error(`${file} is nearly empty`);
    console.log(path.relative(process.cwd(), to));
  }
} finally {
  await browser.close();
  await site.close();
}
