// The reader's byte budgets of the whole-site search, measured in Chromium with
// the Resource Timing API: what dateline.js downloads before typing, for a
// first query and for each further keystroke, and how soon the results appear
// once the data is there. The same walk through Pagefind's JS API on the same
// built site, for comparison. search-budget.test.js asserts the budgets with
// it; bench/search.sh runs it as a script, for both, side by side:
//
//   node budget.mjs --content SITE/content --dir BUILT [--pagefind] [--json OUT.json]
//
// What is counted. Only what the search causes: the theme's script
// (dateline.<hash>.js, which every page loads only for the search) and the
// files under search/; for Pagefind, the files under pagefind/. The HTML page,
// the style sheet and the favicon, which a page loads with or without a search,
// are listed separately (page load) and never counted against a budget.
//
// Sizes. The test server (lib/server.js) does not compress, so "gzip as a host
// would serve it" is worked out per fetched resource: the URLs the Resource
// Timing API reports are mapped to files of the built folder, and each file
// counts zlib.gzipSync(file, level 6) bytes (`gzip`); a file that is gzip
// already (Pagefind's .pf_* and .pagefind files) counts its own size. That is
// how dateline's S3 deploy stores every file. Hosts like GitHub Pages and
// Cloudflare compress only text types and serve .bin (application/octet-stream)
// as it is: `host` counts those raw, and `bin raw` is the raw size of the .bin
// chunks alone. The budgets are checked on `gzip`.
//
// How it types. Character by character with a person's pauses (120–320 ms,
// fixed seed), but after each key it waits until the search has answered
// (.search-results loses aria-busy, as search.test.js waits) before the next
// one, so every keystroke runs its own search and its bytes are its own: a
// fast typist whose keys the script's 150 ms debounce merges downloads less,
// never more.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Bytes; 1 KB is 1,000 bytes (the stricter reading). */
export const KB = 1000;
export const BUDGETS = {
  beforeTyping: 50 * KB, // dateline.js + what a focus of the search box fetches
  firstQuery: 150 * KB, // every keystroke of the first query, cold
  keystroke: 50 * KB, // each keystroke after the first one
  renderMs: 100, // last chunk's responseEnd → results on screen
};
/** The script's debounce of typing (dateline.js: setTimeout(run, 150)). */
const DEBOUNCE_MS = 150;

/* ---- Sizes of fetched files ---- */

const TEXT = /\.(html|css|js|mjs|json|xml|txt|svg|map)$/i; // what hosts compress
const sizeCache = new Map();
/** { raw, gzip, host } of a built file; see the header for each. */
export function sizes(file) {
  if (!sizeCache.has(file)) {
    const bytes = fs.readFileSync(file);
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const gzip = gzipped ? bytes.length : zlib.gzipSync(bytes, { level: 6 }).length;
    sizeCache.set(file, { raw: bytes.length, gzip, host: TEXT.test(file) && !gzipped ? gzip : bytes.length });
  }
  return sizeCache.get(file);
}

// What a file of the built folder is, for the tables: dateline's script and
// index files, Pagefind's, or neither (null: the page's own, not counted).
function kindOf(rel) {
  if (/^dateline(\.[0-9a-f]+)?\.js$/.test(rel)) return 'script';
  if (rel === 'search/index.json') return 'index.json';
  let m = rel.match(/^search\/([wdfk])\.[^/]+$/);
  if (m) return { w: 'words', d: 'docs', f: 'terms', k: 'key' }[m[1]];
  if (rel.startsWith('search/')) return 'search other';
  if (rel === 'pagefind/pagefind.js') return 'pf.js';
  if (rel === 'pagefind/pagefind-entry.json') return 'pf entry';
  if (rel === 'pagefind/pagefind-worker.js') return 'pf worker';
  m = rel.match(/^pagefind\/(?:(wasm)\.|pagefind\.[^/]*\.pf_(meta)$|(index|fragment|filter)\/)/);
  if (m) return 'pf ' + (m[1] || m[2] || m[3]);
  if (rel.startsWith('pagefind/')) return 'pf other';
  return null;
}

// Whose files a run counts: dateline's script and search/, or pagefind/.
const DATELINE = (kind) => !!kind && !kind.startsWith('pf');
const PAGEFIND = (kind) => !!kind && kind.startsWith('pf');

/**
 * The resources of `entries` (Resource Timing entries, as plain objects)
 * mapped to files of `dir`, the site served at URL path `prefix`. Returns a
 * step: the files `counted(kind)` accepts, with their sizes and sums, and the
 * others (`page`).
 */
export function tally(entries, dir, prefix, counted = DATELINE) {
  const files = [];
  const page = [];
  for (const e of entries) {
    const url = new URL(e.name);
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(prefix)) continue;
    rel = rel.slice(prefix.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) throw new Error(`fetched ${e.name}, which is not a file of ${dir}`);
    const row = { rel, kind: kindOf(rel), ...sizes(file), transfer: e.encodedBodySize, responseEnd: e.responseEnd };
    (counted(row.kind) ? files : page).push(row);
  }
  const sum = (rows, key) => rows.reduce((n, r) => n + r[key], 0);
  const bins = files.filter((f) => f.rel.endsWith('.bin'));
  return {
    files,
    page,
    requests: files.length,
    raw: sum(files, 'raw'),
    gzip: sum(files, 'gzip'),
    host: sum(files, 'host'),
    binRaw: sum(bins, 'raw'),
    lastEnd: files.length ? Math.max(...files.map((f) => f.responseEnd)) : null,
  };
}

/* ---- Queries, chosen from the generated Markdown ---- */

const foldWords = (text) => {
  // The generated prose is ASCII: the quick way for it, the folding for the rest.
  const plain = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}/gu, '');
  return plain.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
};

/**
 * Realistic queries for a site made by `gen N DIR --zipf`, from its Markdown:
 * the most frequent word of 6 letters or more; a word found in one entry only,
 * the latest entry that has one, that begins no other word; two
 * words of moderate frequency from the body of the middle entry; and a word of
 * a few entries' titles. Each with what its results must show: `first` is the
 * slug of the entry that must come first, `min` the fewest results.
 */
export function chooseQueries(contentDir) {
  const names = fs.readdirSync(contentDir).filter((f) => f.endsWith('.md')).sort();
  const df = new Map();
  const titleDf = new Map();
  const entries = names.map((name) => {
    const text = fs.readFileSync(path.join(contentDir, name), 'utf8');
    const title = JSON.parse(text.match(/^title: (".*")$/m)[1]);
    const body = text.slice(text.indexOf('\n---\n', 4) + 5).replace(/\]\([^)]*\)/g, ']');
    const titleWords = new Set(foldWords(title));
    const words = new Set([...titleWords, ...foldWords(body)]);
    for (const w of words) df.set(w, (df.get(w) || 0) + 1);
    for (const w of titleWords) titleDf.set(w, (titleDf.get(w) || 0) + 1);
    return { slug: name.replace(/^\d{4}-\d\d-\d\d-/, '').replace(/\.md$/, ''), title, titleWords, words };
  });
  const letters = (w) => /^\p{L}+$/u.test(w);
  const vocabulary = [...df.keys()].filter(letters).sort();
  // Words no other word begins with: typed as a prefix, one finds only itself.
  const lonely = new Set(vocabulary.filter((w, i) => !(vocabulary[i + 1] || '').startsWith(w)));
  const alone = (w) => lonely.has(w);
  const byDf = (a, b) => df.get(b) - df.get(a) || (a < b ? -1 : 1);

  const common = vocabulary.filter((w) => w.length >= 6).sort(byDf)[0];
  const rareIn = (e) => [...e.words].filter((w) => letters(w) && w.length >= 6 && df.get(w) === 1 && alone(w)).sort()[0];
  const last = [...entries].reverse().find(rareIn);
  // On a large site every word may occur twice or more: then the rarest word
  // stands in, and which of its entries ranks first is not checked.
  const rarest = vocabulary.filter((w) => w.length >= 6 && alone(w)).sort((a, b) => -byDf(a, b))[0];
  const rare = last ? rareIn(last) : rarest;
  const middle = entries[Math.floor(entries.length / 2)];
  const moderate = [...middle.words].filter((w) => letters(w) && w.length >= 5 && df.get(w) >= 20 && df.get(w) <= entries.length / 20).sort(byDf);
  const title = vocabulary
    .filter((w) => w.length >= 6 && titleDf.get(w) >= 2 && titleDf.get(w) <= 12 && df.get(w) <= 400 && alone(w))
    .sort((a, b) => titleDf.get(b) - titleDf.get(a) || (a < b ? -1 : 1))[0];
  if (!common || !rare || moderate.length < 2 || !title) {
    throw new Error(`no realistic queries in ${contentDir}: common ${common}, rare ${rare}, moderate ${moderate}, title ${title}`);
  }
  const firstWithTitle = entries.find((e) => e.titleWords.has(title));
  return [
    { label: 'common word', q: common, min: 10, df: df.get(common) },
    { label: 'rare word', q: rare, first: last ? last.slug : null, min: df.get(rare), df: df.get(rare) },
    { label: 'two words', q: `${moderate[0]} ${moderate[1]}`, first: null, min: 1, df: `${df.get(moderate[0])}, ${df.get(moderate[1])}` },
    // Title matches rank first, then the site's order (oldest first).
    { label: 'title word', q: title, first: firstWithTitle.slug, min: titleDf.get(title), df: df.get(title) },
  ];
}

/* ---- In the page ---- */

// Before the page's own scripts: room for every resource entry, and the times
// at which the search ended (.search-results loses aria-busy) and the frame
// after it, and of each input event.
const INSTRUMENT = () => {
  performance.setResourceTimingBufferSize(1000000);
  const marks = { input: [], done: [] };
  window.__budget = marks;
  document.addEventListener('input', () => marks.input.push(performance.now()), true);
  document.addEventListener('DOMContentLoaded', () => {
    const section = document.querySelector('.search-results');
    if (!section) return;
    new MutationObserver(() => {
      if (section.hasAttribute('aria-busy')) return;
      const dom = performance.now();
      requestAnimationFrame(() => marks.done.push({ dom, frame: performance.now() }));
    }).observe(section, { attributes: true, attributeFilter: ['aria-busy'] });
  });
};

// The Resource Timing entries of a page and of its workers (Pagefind searches
// in one, whose fetches are on the worker's own timeline), with the workers'
// times moved onto the page's clock. `next()` returns the entries added since
// the last call; `count()` how many there are.
function resources(page) {
  const workers = [];
  page.on('worker', (worker) => {
    workers.push({ worker, seen: 0 });
    worker.evaluate(() => performance.setResourceTimingBufferSize(1000000)).catch(() => {});
  });
  const list = (from) => ({
    origin: performance.timeOrigin,
    entries: performance.getEntriesByType('resource').slice(from).map((e) => e.toJSON()),
  });
  const length = () => performance.getEntriesByType('resource').length;
  let seen = 0;
  return {
    async count() {
      let n = await page.evaluate(length);
      for (const w of workers) n += await w.worker.evaluate(length).catch(() => 0);
      return n;
    },
    async next() {
      const own = await page.evaluate(list, seen);
      seen += own.entries.length;
      const out = own.entries;
      for (const w of workers) {
        const theirs = await w.worker.evaluate(list, w.seen).catch(() => ({ origin: own.origin, entries: [] }));
        w.seen += theirs.entries.length;
        const shift = theirs.origin - own.origin;
        for (const e of theirs.entries) out.push({ ...e, startTime: e.startTime + shift, responseEnd: e.responseEnd + shift });
      }
      return out;
    },
  };
}

// Until no resource has been added for `quiet` ms.
async function idle(page, timeline, quiet = 300) {
  let n = await timeline.count();
  for (let i = 0; i < 100; i++) {
    await page.waitForTimeout(quiet);
    const m = await timeline.count();
    if (m === n) return;
    n = m;
  }
}

// Pauses between keys, like a person's: 120–320 ms, from a fixed seed.
function pauses(seed = 7) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return 120 + (s >>> 8) % 201;
  };
}

function problemsOf(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  return problems;
}

/**
 * dateline: opens `url` (page 1 of the site in `dir`, served at URL path
 * `prefix`), focuses the search box, types each query of `queries` a key at a
 * time, and clears it between queries. Returns { steps, problems }: a step per
 * page load, focus, key and clearing, with what it fetched (see tally), `ms`
 * (the frame after the results, from the later of the last counted
 * responseEnd and the end of the debounce) and the results shown.
 */
export async function measureDateline(browser, { url, dir, prefix, queries }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  const problems = problemsOf(page);
  const timeline = resources(page);
  const steps = [];
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => !document.querySelector('form[role="search"]').hidden);
    await idle(page, timeline);
    const record = async (step) => {
      steps.push({ ...step, ...tally(await timeline.next(), dir, prefix) });
      return steps.at(-1);
    };
    await record({ step: 'page load', typed: '' });

    // The reader turns to the search: the table of contents is read now, and
    // the chips are made; their counts (the top terms' lists) wait until the
    // reader opens "Dates and terms".
    await page.click('#search-q');
    await page.waitForFunction(() => document.querySelector('.search-groups fieldset'), null, { timeout: 10000 });
    await idle(page, timeline);
    await record({ step: 'focus', typed: '' });

    const pause = pauses();
    for (const [qi, query] of queries.entries()) {
      for (let i = 0; i < query.q.length; i++) {
        const started = Date.now();
        const wait = pause();
        const doneBefore = await page.evaluate(() => window.__budget.done.length);
        await page.keyboard.type(query.q[i]);
        await page.waitForFunction((n) => !document.querySelector('.search-results[aria-busy]') && window.__budget.done.length > n,
          doneBefore, { timeout: 10000 });
        const marks = await page.evaluate(() => ({ input: window.__budget.input.at(-1), done: window.__budget.done.at(-1) }));
        const results = await page.$$eval('.results > li', (l) => l.length);
        const step = await record({ step: `q${qi + 1} key ${i + 1}`, query: qi, key: i, typed: query.q.slice(0, i + 1), results });
        const from = Math.max(step.lastEnd ?? 0, marks.input + DEBOUNCE_MS);
        step.ms = marks.done.frame - from;
        step.domMs = marks.done.dom - from;
        step.sinceKeyMs = marks.done.frame - marks.input;
        const left = wait - (Date.now() - started);
        if (left > 0) await page.waitForTimeout(left);
      }
      // The reader reads the answer: the count is announced once typing pauses.
      await page.waitForFunction(() => /match/.test(document.querySelector('.search-status').textContent), null, { timeout: 5000 }).catch(() => {});
      const shown = await page.evaluate(() => ({
        status: document.querySelector('.search-status').textContent,
        slugs: [...document.querySelectorAll('.results .result-title a')].map((a) => a.pathname.replace(/\/$/, '').split('/').pop()),
        firstMarked: !!document.querySelector('.results > li:first-child .result-title mark'),
      }));
      Object.assign(steps.at(-1), { final: true, ...shown });
      if (qi < queries.length - 1) {
        await page.click('.search-clear');
        await page.waitForFunction(() => !document.querySelector('.search-results[aria-busy]'));
        await idle(page, timeline, 100);
        await record({ step: `clear ${qi + 1}`, typed: '' });
      }
    }
  } finally {
    await context.close();
  }
  return { steps, problems };
}

/**
 * Pagefind, the same walk through its JS API on a page of the same site: the
 * focus imports pagefind/pagefind.js and calls init() (what its UI does when
 * the box is first used); each key runs search() for the text so far and
 * data() for the first 10 results, as its UI shows them. `ms` is from the last
 * counted responseEnd (or the call, when nothing was fetched) to data() done.
 */
export async function measurePagefind(browser, { url, dir, prefix, queries }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  const problems = problemsOf(page);
  const timeline = resources(page);
  const steps = [];
  try {
    await page.goto(url, { waitUntil: 'load' });
    await idle(page, timeline);
    const record = async (step) => {
      steps.push({ ...step, ...tally(await timeline.next(), dir, prefix, PAGEFIND) });
      return steps.at(-1);
    };
    await record({ step: 'page load', typed: '' });
    await page.evaluate(async (bundle) => {
      window.__pf = await import(bundle);
      await window.__pf.init();
    }, new URL('pagefind/pagefind.js', url).href);
    await idle(page, timeline);
    await record({ step: 'focus', typed: '' });
    const pause = pauses();
    for (const [qi, query] of queries.entries()) {
      for (let i = 0; i < query.q.length; i++) {
        const wait = pause();
        const typed = query.q.slice(0, i + 1);
        const started = Date.now();
        const r = await page.evaluate(async (q) => {
          const t0 = performance.now();
          const search = await window.__pf.search(q);
          const data = await Promise.all(search.results.slice(0, 10).map((x) => x.data()));
          return { t0, t1: performance.now(), results: search.results.length, urls: data.map((d) => d.url) };
        }, typed);
        const step = await record({ step: `q${qi + 1} key ${i + 1}`, query: qi, key: i, typed, results: Math.min(10, r.results), matched: r.results });
        step.ms = r.t1 - Math.max(step.lastEnd ?? 0, r.t0);
        step.sinceKeyMs = r.t1 - r.t0;
        if (i === query.q.length - 1) {
          Object.assign(step, { final: true, status: `${r.results} results`, slugs: r.urls.map((u) => u.replace(/\/$/, '').split('/').pop()) });
        }
        const left = wait - (Date.now() - started);
        if (left > 0) await page.waitForTimeout(left);
      }
    }
  } finally {
    await context.close();
  }
  return { steps, problems };
}

/* ---- Budgets and tables ---- */

const keySteps = (steps) => steps.filter((s) => s.key !== undefined);

/** Per query: { label, q, gzip, host, binRaw, raw, requests } summed over its keys. */
export function perQuery(steps, queries) {
  return queries.map((query, qi) => {
    const keys = keySteps(steps).filter((s) => s.query === qi);
    const sum = (k) => keys.reduce((n, s) => n + s[k], 0);
    return { ...query, keys: keys.length, gzip: sum('gzip'), host: sum('host'), binRaw: sum('binRaw'), raw: sum('raw'), requests: sum('requests') };
  });
}

/**
 * The budgets against a dateline run: [{ budget, limit, measured, ok, detail }],
 * sizes in bytes (gzip), times in ms.
 */
export function verdicts(steps, queries) {
  const load = steps.find((s) => s.step === 'page load');
  const focus = steps.find((s) => s.step === 'focus');
  const before = load.gzip + focus.gzip;
  const keys = keySteps(steps);
  const first = perQuery(steps, queries)[0];
  const further = keys.slice(1);
  const worstKey = further.reduce((a, s) => (s.gzip > a.gzip ? s : a), further[0]);
  const slowest = keys.reduce((a, s) => (s.ms > a.ms ? s : a), keys[0]);
  return [
    { budget: 'before typing: the script + what focusing the box fetches', limit: BUDGETS.beforeTyping, measured: before,
      detail: [...load.files, ...focus.files].map((f) => `${f.rel} ${kb(f.gzip)}`).join(', ') },
    { budget: `first query ("${first.q}", ${first.keys} keys, cold)`, limit: BUDGETS.firstQuery, measured: first.gzip,
      detail: `${first.requests} files` },
    { budget: 'each further keystroke', limit: BUDGETS.keystroke, measured: worstKey.gzip,
      detail: `largest: ${worstKey.step} "${worstKey.typed}", ${worstKey.files.map((f) => `${f.rel} ${kb(f.gzip)}`).join(', ') || 'nothing'}` },
    { budget: 'results on screen after the data arrived', limit: BUDGETS.renderMs, measured: slowest.ms, ms: true,
      detail: `slowest: ${slowest.step} "${slowest.typed}" (${slowest.requests} files)` },
  ].map((v) => ({ ...v, ok: v.measured <= v.limit }));
}

export const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const num = (n) => (n === undefined || n === null ? '' : (n / KB).toFixed(1));
const ms = (n) => (n === undefined || n === null ? '' : n.toFixed(0));

// "words ×3 12.0" for a step's files, by kind.
function byKind(files) {
  const kinds = new Map();
  for (const f of files) {
    const k = kinds.get(f.kind) || { n: 0, gzip: 0 };
    k.n++;
    k.gzip += f.gzip;
    kinds.set(f.kind, k);
  }
  return [...kinds].map(([kind, k]) => `${kind}${k.n > 1 ? ' ×' + k.n : ''} ${num(k.gzip)}`).join(', ');
}

/** A Markdown table of one run's steps (KB gzip, host, .bin raw; ms; files). */
export function stepTable(steps) {
  const rows = ['| step | typed | files | gzip KB | host KB | .bin raw KB | ms | results | what (gzip KB) |', '|---|---|---:|---:|---:|---:|---:|---:|---|'];
  for (const s of steps) {
    rows.push(`| ${s.step} | ${s.typed ? '`' + s.typed + '`' : ''} | ${s.requests} | ${num(s.gzip)} | ${num(s.host)} | ${num(s.binRaw)} | ${ms(s.ms)} | ${s.results ?? ''} | ${byKind(s.files)} |`);
  }
  return rows.join('\n');
}

/** A Markdown table of the budgets. */
export function verdictTable(vs) {
  const rows = ['| budget | limit | measured | | where |', '|---|---:|---:|---|---|'];
  for (const v of vs) {
    const show = (n) => (v.ms ? `${n.toFixed(0)} ms` : kb(n));
    rows.push(`| ${v.budget} | ${show(v.limit)} | ${show(v.measured)} | ${v.ok ? 'met' : '**missed**'} | ${v.detail} |`);
  }
  return rows.join('\n');
}

/** dateline and Pagefind side by side: before typing, each query, each key. */
export function sideBySide(dl, pf, queries) {
  const rows = [
    '| step | typed | dateline files | dateline gzip KB | dateline host KB | dateline ms | Pagefind files | Pagefind KB | Pagefind ms |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const before = (steps) => steps.filter((s) => s.step === 'focus' || s.step === 'page load');
  const sum = (ss, k) => ss.reduce((n, s) => n + s[k], 0);
  rows.push(`| before typing (script + focus) | | ${sum(before(dl), 'requests')} | ${num(sum(before(dl), 'gzip'))} | ${num(sum(before(dl), 'host'))} | | ${sum(before(pf), 'requests')} | ${num(sum(before(pf), 'gzip'))} | |`);
  const pk = keySteps(pf);
  for (const d of keySteps(dl)) {
    const p = pk.find((s) => s.query === d.query && s.key === d.key) || {};
    rows.push(`| ${d.step} | \`${d.typed}\` | ${d.requests} | ${num(d.gzip)} | ${num(d.host)} | ${ms(d.ms)} | ${p.requests ?? ''} | ${num(p.gzip)} | ${ms(p.ms)} |`);
  }
  const dq = perQuery(dl, queries);
  const pq = perQuery(pf, queries);
  dq.forEach((d, i) => {
    rows.push(`| **query ${i + 1}, ${d.label}** | \`${d.q}\` | ${d.requests} | **${num(d.gzip)}** | ${num(d.host)} | | ${pq[i].requests} | **${num(pq[i].gzip)}** | |`);
  });
  rows.push(`| **whole session** | | ${sum(dl, 'requests')} | **${num(sum(dl, 'gzip'))}** | ${num(sum(dl, 'host'))} | | ${sum(pf, 'requests')} | **${num(sum(pf, 'gzip'))}** | |`);
  return rows.join('\n');
}

/** Files and bytes of a folder: { files, raw, gzip }. */
export function folderSize(dir) {
  let files = 0;
  let raw = 0;
  let gzip = 0;
  const walk = (d) => {
    for (const name of fs.readdirSync(d)) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else {
        const s = sizes(full);
        files++;
        raw += s.raw;
        gzip += s.gzip;
      }
    }
  };
  walk(dir);
  return { files, raw, gzip };
}

/**
 * Where the bytes of an index are: per kind of file (kindOf) under `sub`
 * (`search` or `pagefind`), { kind, files, raw, gzip, median, max } (median and
 * max of the files' gzip sizes). A Markdown table with `breakdownTable`.
 */
export function breakdown(dir, sub) {
  const kinds = new Map();
  const walk = (d, rel) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full, rel + name + '/');
      else {
        const kind = kindOf(rel + name) || 'other';
        if (!kinds.has(kind)) kinds.set(kind, []);
        kinds.get(kind).push(sizes(full));
      }
    }
  };
  walk(path.join(dir, sub), sub + '/');
  return [...kinds].map(([kind, list]) => {
    const gz = list.map((x) => x.gzip).sort((a, b) => a - b);
    return {
      kind,
      files: list.length,
      raw: list.reduce((n, x) => n + x.raw, 0),
      gzip: gz.reduce((n, x) => n + x, 0),
      median: gz[Math.floor(gz.length / 2)],
      max: gz.at(-1),
    };
  });
}

export function breakdownTable(rows) {
  const out = ['| files | count | raw KB | gzip KB | one file, gzip KB: median | max |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) out.push(`| ${r.kind} | ${r.files} | ${num(r.raw)} | ${num(r.gzip)} | ${num(r.median)} | ${num(r.max)} |`);
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  out.push(`| all | ${sum('files')} | ${num(sum('raw'))} | ${num(sum('gzip'))} | | |`);
  return out.join('\n');
}

/* ---- As a script (bench/search.sh) ---- */

async function main(argv) {
  const args = { pagefind: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pagefind') args.pagefind = true;
    else if (['--content', '--dir', '--json'].includes(a)) args[a.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${a}; usage: node budget.mjs --content SITE/content --dir BUILT [--pagefind] [--json OUT.json]`);
  }
  if (!args.content || !args.dir) throw new Error('usage: node budget.mjs --content SITE/content --dir BUILT [--pagefind] [--json OUT.json]');
  const dir = path.resolve(args.dir);
  const { serve } = await import('./lib/server.js');
  const { launch } = await import('./lib/browser.js');
  // The site is built for its own base URL: serve it at that URL's path.
  const prefix = fs.readFileSync(path.join(dir, 'index.html'), 'utf8').match(/data-root="([^"]*)"/)[1];
  const queries = chooseQueries(path.resolve(args.content));
  const server = await serve({ site: () => dir, prefix });
  const browser = await launch();
  const out = { queries };
  try {
    out.dateline = await measureDateline(browser, { url: server.url(''), dir, prefix, queries });
    if (args.pagefind) out.pagefind = await measurePagefind(browser, { url: server.url(''), dir, prefix, queries });
  } finally {
    await browser.close();
    await server.close();
  }
  const print = (s = '') => process.stdout.write(s + '\n');
  print('Queries, chosen from the generated Markdown (df: entries with the word):');
  print();
  for (const [i, q] of queries.entries()) print(`${i + 1}. ${q.label}: \`${q.q}\` (df ${q.df})`);
  print();
  if (out.pagefind) {
    print('Per key, what the search downloads (gzip KB: see tests/browser/budget.mjs; dateline "host": .bin chunks raw, as GitHub Pages or Cloudflare serve them), and ms from the last byte to the results:');
    print();
    print(sideBySide(out.dateline.steps, out.pagefind.steps, queries));
    print();
  }
  print('dateline, every step:');
  print();
  print(stepTable(out.dateline.steps));
  print();
  if (out.pagefind) {
    print('Pagefind, every step:');
    print();
    print(stepTable(out.pagefind.steps));
    print();
  }
  print('Where the bytes are: the files of the index, by kind (`search/` for dateline, `pagefind/` for Pagefind):');
  print();
  print(breakdownTable(breakdown(dir, 'search')));
  print();
  if (out.pagefind) {
    print(breakdownTable(breakdown(dir, 'pagefind')));
    print();
  }
  print("dateline against the reader's budgets:");
  print();
  print(verdictTable(verdicts(out.dateline.steps, queries)));
  print();
  if (out.pagefind) {
    print('Pagefind, measured the same way (before typing: pagefind.js and what init() fetches; its ms run to search() and data() done, before any drawing):');
    print();
    print(verdictTable(verdicts(out.pagefind.steps, queries)));
    print();
  }
  for (const [name, run] of Object.entries({ dateline: out.dateline, Pagefind: out.pagefind })) {
    if (!run) continue;
    for (const s of run.steps.filter((x) => x.final)) {
      print(`- ${name}, \`${s.typed}\`: ${s.status}; first results ${s.slugs.slice(0, 3).join(', ')}`);
    }
    if (run.problems.length) print(`- ${name}: problems in the page: ${run.problems.join('; ')}`);
  }
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(out, null, 1));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
