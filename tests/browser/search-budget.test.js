// The reader's byte budgets of the whole-site search, on a generated site of
// 10,000 entries with a natural vocabulary (`gen 10000 DIR --zipf`,
// examples/gen.rs: Zipf's law over 40,000 words), built with the binary under
// test and searched in Chromium from page 1 as a person would: focus the box,
// then type a common word, a rare word, two words and a word of a few titles,
// a key at a time. The words are chosen from the generated Markdown
// (budget.mjs, chooseQueries). Measured with the Resource Timing API; counted
// are only the files the search causes: the theme's script (dateline.<hash>.js)
// and those under search/, at their gzip size (level 6) as a host would serve
// them, since the test server does not compress; the raw size of the .bin
// chunks, which GitHub Pages and Cloudflare would serve uncompressed, is shown
// beside. budget.mjs says exactly how each figure is taken.
//
// The budgets: before typing, at most 50 KB (dateline.js and what focusing the
// box fetches); the first query at most 150 KB (every key of it); each further
// key at most 50 KB; the results on screen within 100 ms of the last chunk's
// arrival. bench/search.sh runs the same walk beside Pagefind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './lib/browser.js';
import { serveSite, BIN, REPO } from './lib/site.js';
import { BUDGETS, chooseQueries, measureDateline, verdicts, stepTable, verdictTable, perQuery, kb, breakdown, breakdownTable } from './budget.mjs';

const N = 10000;

// The site's three copies (generated, copied with the theme, built: 35,000
// files, 400 MB) go to memory when the machine has /dev/shm: on this disk,
// writing and deleting them took longer than building them.
if (!process.env.TMPDIR && fs.existsSync('/dev/shm') && fs.statfsSync('/dev/shm').bavail * fs.statfsSync('/dev/shm').bsize > 2 ** 30) {
  process.env.TMPDIR = '/dev/shm';
}

// The generator cargo builds beside the binary under test (`cargo test
// --all-targets` builds the examples; ./test.sh runs it first).
function generator() {
  const target = path.dirname(BIN);
  const gen = path.join(target, 'examples', 'gen');
  if (!fs.existsSync(gen)) {
    const profile = path.basename(target) === 'release' ? ['--release'] : [];
    execFileSync('cargo', ['build', '--quiet', ...profile, '--example', 'gen'], {
      cwd: REPO,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CARGO_TARGET_DIR: path.dirname(target) },
    });
  }
  return gen;
}

let source;
let site;
let browser;
let queries;
let run;
let took = {};
before(async () => {
  const gen = generator();
  source = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-budget-'));
  let t = Date.now();
  execFileSync(gen, [String(N), source, '--zipf'], { stdio: 'ignore' });
  took.generate = Date.now() - t;
  queries = chooseQueries(path.join(source, 'content'));
  t = Date.now();
  site = await serveSite({ root: source });
  took.build = Date.now() - t; // With the copy of the Markdown and the theme that serveSite makes.
  browser = await launch();
  t = Date.now();
  run = await measureDateline(browser, { url: site.url(''), dir: site.dir, prefix: '/', queries });
  took.browser = Date.now() - t;
});
after(async () => {
  await browser?.close();
  await site?.close();
  if (source) fs.rmSync(source, { recursive: true, force: true });
});

// The table of every step, printed once, and with any failure.
let printed = false;
function report(t) {
  const lines = [
    `${N} entries: generated in ${took.generate} ms, built in ${took.build} ms (${path.relative(REPO, BIN)}), searched in ${took.browser} ms`,
    ...queries.map((q, i) => `query ${i + 1}, ${q.label}: "${q.q}" (in ${q.df} entries)`),
    ...stepTable(run.steps).split('\n'),
    ...perQuery(run.steps, queries).map((q, i) => `query ${i + 1} "${q.q}": ${q.keys} keys, ${q.requests} files, ${kb(q.gzip)} gzip, ${kb(q.host)} as a host serves it, .bin raw ${kb(q.binRaw)}`),
    'the files of search/ by kind:',
    ...breakdownTable(breakdown(site.dir, 'search')).split('\n'),
    ...verdictTable(verdicts(run.steps, queries)).split('\n'),
  ];
  if (!printed) for (const line of lines) t.diagnostic(line);
  printed = true;
  return lines.join('\n');
}
const verdict = (i) => verdicts(run.steps, queries)[i];

test('the searches answer: each query finds what the Markdown says, with no error in the page', (t) => {
  const table = report(t);
  assert.deepEqual(run.problems, [], table);
  for (const [i, query] of queries.entries()) {
    const last = run.steps.find((s) => s.final && s.query === i);
    assert.ok(last, `query ${i + 1} ran`);
    const count = parseInt(last.status, 10) || (/^1 event/.test(last.status) ? 1 : 0);
    assert.ok(last.status && /match/.test(last.status) && !/^No/.test(last.status), `"${query.q}": "${last.status}"`);
    assert.ok(count >= query.min, `"${query.q}": ${last.status}, at least ${query.min} expected`);
    if (query.first) assert.equal(last.slugs[0], query.first, `"${query.q}": first result`);
  }
  // The title word: its first result has it in the title, marked.
  assert.ok(run.steps.filter((s) => s.final).at(-1).firstMarked, 'the title word is marked in the first title');
  // Every key ran its own search, and the searches read chunks at all.
  assert.ok(run.steps.some((s) => s.files.some((f) => f.kind === 'words')));
  assert.ok(run.steps.some((s) => s.files.some((f) => f.kind === 'docs')));
});

test(`before typing: dateline.js and what focusing the box fetches stay within ${kb(BUDGETS.beforeTyping)} gzip`, (t) => {
  const table = report(t);
  const v = verdict(0);
  assert.ok(v.ok, `${kb(v.measured)} > ${kb(v.limit)}: ${v.detail}\n${table}`);
});

test(`the first query downloads at most ${kb(BUDGETS.firstQuery)} gzip`, (t) => {
  const table = report(t);
  const v = verdict(1);
  assert.ok(v.ok, `${v.budget}: ${kb(v.measured)} > ${kb(v.limit)} (${v.detail})\n${table}`);
});

test(`each further keystroke downloads at most ${kb(BUDGETS.keystroke)} gzip`, (t) => {
  const table = report(t);
  const v = verdict(2);
  assert.ok(v.ok, `${kb(v.measured)} > ${kb(v.limit)}: ${v.detail}\n${table}`);
});

test(`results are on screen within ${BUDGETS.renderMs} ms of the last chunk's arrival`, (t) => {
  const table = report(t);
  const v = verdict(3);
  assert.ok(v.ok, `${v.measured.toFixed(0)} ms > ${v.limit} ms: ${v.detail}\n${table}`);
});
