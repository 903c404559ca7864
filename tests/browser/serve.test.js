// The editor's loop in a real browser: `dateline serve` on a copy of the bundled
// site, a page open in Chromium, an edit saved to the entry's file, and the page
// reloading by itself with the new text; a broken edit shows the error overlay
// over the last good page, and fixing it reloads again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, watchedPage } from './lib/browser.js';
import { BIN, REPO } from './lib/site.js';

const ENTRY = 'content/2017-10-15-milano-me-too-tweet.md';

let browser;
let root;
let server;
let url;

before(async () => {
  browser = await launch();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-serve-'));
  for (const item of ['site.yaml', 'content']) {
    fs.cpSync(path.join(REPO, item), path.join(root, item), { recursive: true });
  }
  server = spawn(BIN, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'ignore'] });
  url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/serving (http:\/\/\S+)/);
      if (found) resolve(found[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('saving an entry reloads the open page with the new text', async () => {
  const { page, context, problems } = await watchedPage(browser);
  await page.goto(`${url}entries/milano-me-too-tweet/`);
  const file = path.join(root, ENTRY);
  const before = fs.readFileSync(file, 'utf8');
  const reloaded = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(file, before.replace('Shortly after 1 p.m.', 'Just after 1 p.m. (edited live)'));
  await reloaded;
  await page.waitForFunction(() => document.body.textContent.includes('(edited live)'), null, { timeout: 15000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a broken edit shows the errors over the last good page, and fixing it reloads', async () => {
  const { page, context } = await watchedPage(browser);
  await page.goto(`${url}entries/milano-me-too-tweet/`);
  const file = path.join(root, ENTRY);
  const good = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, good.replace(/^date: 2017-10-15$/m, 'date: 2017-10-155'));
  const overlay = await page.waitForSelector('#dateline-errors', { timeout: 15000 });
  const text = await overlay.textContent();
  assert.match(text, /content\/2017-10-15-milano-me-too-tweet\.md:3:1: error: `date`: `2017-10-155` is not a date/);
  assert.ok(await page.isVisible('h1'), 'the last good page stays under the overlay');
  const reloaded = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(file, good);
  await reloaded;
  assert.equal(await page.$('#dateline-errors'), null, 'the overlay is gone after the fix');
  await context.close();
});
