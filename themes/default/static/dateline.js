/* dateline: search the whole timeline from any of its pages.

   The pages are complete without this script: every event is rendered on the
   server and linked from the timeline, its archives and its term pages. The
   script adds a search over every entry of the site, by words, terms, dates and
   "key events only". It reads the index under search/ (the format is described
   in src/render/search/mod.rs): a small table of contents, then only the chunks
   a query needs, so a large site costs a reader a few small requests.
   Text from the index is plain text written by editors; it enters the page
   through textContent only, never innerHTML, so a title like "<b>" stays text.
   No framework and no build step, so the theme stays editable. */
(() => {
  'use strict';

  const form = document.querySelector('form[role="search"][data-index]');
  if (!form || !window.fetch || !window.TextDecoder || !''.normalize) return;

  const $ = (selector, root = form) => root.querySelector(selector);
  const input = $('input[name="q"]');
  const keyBox = $('input[name="key"]');
  const details = $('details');
  const summary = $('summary');
  const dates = { from: $('select[name="from"]'), to: $('select[name="to"]') };
  const groups = $('.search-groups');
  const status = $('.search-status');
  const clear = $('.search-clear');
  const section = document.querySelector('.search-results');
  const list = $('ol', section);
  const more = $('.search-more', section);
  // What a search replaces while it is shown: the server-rendered list.
  const timeline = document.querySelectorAll('.timeline-wrap, .pagination, .empty-note');
  const indexUrl = new URL(form.dataset.index, location.href);
  const root = new URL('..', indexUrl); // Entry URLs in the index are relative to it.
  const PAGE = 10; // Results shown at a time.
  const label = summary.textContent;

  /* ---- Words, folded as the indexer folds them (src/render/search/text.rs) ----
     A word is a run of letters, digits and marks, with an apostrophe inside it
     ("milano's"); it is decomposed (NFKD), stripped of marks and lowercased a
     character at a time, so "Café" and "cafe" meet. Scripts written without
     spaces are indexed as single characters and pairs: a query's run of them
     becomes its pairs, which find it without a dictionary. */
  const RUN = /[\p{Alphabetic}\p{N}\p{M}]+(?:['\u2018\u2019][\p{Alphabetic}\p{N}\p{M}]+)*/gu;
  const MARK = /\p{M}/u;
  const UNSPACED = /[\u0E00-\u0E7F\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7FF\u2E80-\u2FDF\u3005\u3007\u3021-\u3029\u3038-\u303B\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3FFFF}]/u;

  // A run of word characters, folded. Lowercased one character at a time, as
  // Rust's char::to_lowercase does: no final sigma.
  const fold = (run) => {
    let out = '';
    for (const c of run.normalize('NFKD')) {
      if (!MARK.test(c)) out += /['\u2018\u2019]/.test(c) ? "'" : c.toLowerCase();
    }
    return out;
  };

  // The words of a query, in order: a run is a word, unless it holds
  // characters of scripts without spaces, which split it (fold_run in text.rs).
  const queryWords = (text) => {
    const out = [];
    for (const [run] of text.matchAll(RUN)) {
      const folded = fold(run);
      if (!UNSPACED.test(folded)) {
        if (folded) out.push(folded);
        continue;
      }
      let spaced = '';
      let unspaced = [];
      const pairs = () => {
        if (unspaced.length === 1) out.push(unspaced[0]);
        for (let i = 1; i < unspaced.length; i++) out.push(unspaced[i - 1] + unspaced[i]);
        unspaced = [];
      };
      for (const c of folded) {
        if (UNSPACED.test(c)) {
          if (spaced) out.push(spaced);
          spaced = '';
          unspaced.push(c);
        } else {
          pairs();
          if (c !== "'" || spaced) spaced += c;
        }
      }
      pairs();
      if (spaced) out.push(spaced.replace(/'+$/, ''));
    }
    return out;
  };

  // Code-point order, as the index sorts words: plain `<` compares UTF-16
  // units, which puts "\u{20000}" before "\uFF41".
  const compare = (a, b) => {
    for (let i = 0; i < a.length && i < b.length; i++) {
      const x = a.codePointAt(i);
      const y = b.codePointAt(i);
      if (x !== y) return x - y;
      if (x > 0xffff) i++;
    }
    return a.length - b.length;
  };

  // The last of `table`'s [first, file] rows whose first is not after `key`.
  const rowFor = (table, key) => {
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compare(table[mid][0], key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  /* ---- The index's files ---- */
  let toc = null;
  let tocLoad = null;
  const files = new Map(); // file name → promise of its parsed records

  const utf8 = new TextDecoder();
  // Reads the varints, strings and id lists of a .bin file.
  const reader = (bytes) => {
    let at = 0;
    const varint = () => {
      let n = 0;
      for (let scale = 1; ; scale *= 128) {
        if (at >= bytes.length) throw new Error('truncated search file');
        const b = bytes[at++];
        n += (b & 127) * scale;
        if (b < 128) return n;
      }
    };
    return {
      more: () => at < bytes.length,
      varint,
      text: () => {
        const length = varint();
        return utf8.decode(bytes.subarray(at, (at += length)));
      },
      // Even h: h/2 gaps from −1. Odd h: a bitmap of h>>1 bytes, LSB first.
      ids: () => {
        const h = varint();
        const ids = [];
        if (h % 2 === 0) {
          for (let i = 0, id = -1; i < h / 2; i++) ids.push((id += varint()));
        } else {
          const end = at + (h - 1) / 2;
          for (let j = 0; at < end; j++, at++) {
            for (let bit = 0; bit < 8; bit++) if (bytes[at] & (1 << bit)) ids.push(j * 8 + bit);
          }
        }
        return ids;
      },
    };
  };

  // A words chunk: [word, strong, weak] records; a record that refers to an
  // earlier one (a word with the same stem) shares its lists.
  const wordRecords = (r) => {
    const out = [];
    while (r.more()) {
      const word = r.text();
      const same = r.varint();
      out.push(same ? [word, out[same - 1][1], out[same - 1][2]] : [word, r.ids(), r.ids()]);
    }
    return out;
  };
  // A terms chunk: slug → ids.
  const termRecords = (r) => {
    const out = new Map();
    while (r.more()) out.set(r.text(), r.ids());
    return out;
  };

  class Stale extends Error {}

  // One chunk, fetched once. A missing chunk means the site was deployed again
  // since index.json was read: the caller reads the new one and tries again.
  const get = (file, parse) => {
    if (!files.has(file)) {
      const url = new URL(file, indexUrl);
      const load = fetch(url).then((response) => {
        if (!response.ok) throw new Stale(`${file}: HTTP ${response.status}`);
        return parse ? response.arrayBuffer().then((b) => parse(reader(new Uint8Array(b)))) : response.json();
      });
      load.catch(() => files.delete(file));
      files.set(file, load);
    }
    return files.get(file);
  };

  const loadToc = (again) => {
    if (!tocLoad || again) {
      tocLoad = fetch(indexUrl, again ? { cache: 'no-cache' } : {})
        .then((response) => {
          if (!response.ok) throw new Error(`index.json: HTTP ${response.status}`);
          return response.json();
        })
        .then((table) => {
          if (table.v !== 1) throw new Error(`index.json: version ${table.v}, this script reads 1`);
          files.clear();
          toc = table;
          facets();
          return table;
        });
      tocLoad.catch(() => { tocLoad = null; });
    }
    return tocLoad;
  };

  // The lists of `word`, or with `prefix` of every word it begins, following
  // into the next chunks while words still match (three chunks at most).
  const postings = async (word, prefix) => {
    const found = [];
    const first = rowFor(toc.words, word);
    for (let c = first; c < first + (prefix ? 3 : 1) && c < toc.words.length; c++) {
      if (c > first && !toc.words[c][0].startsWith(word)) break;
      for (const record of await get(toc.words[c][1], wordRecords)) {
        if (record[0] === word || (prefix && record[0].startsWith(word))) found.push(record);
      }
    }
    return found;
  };

  // The ids of a term, from the top terms' file or the chunk of the others.
  const termIds = async (tax, slug) => {
    const top = await get(tax.file, termRecords);
    if (top.has(slug)) return top.get(slug);
    if (!tax.rest.length) return [];
    return (await get(tax.rest[rowFor(tax.rest, slug)][1], termRecords)).get(slug) || [];
  };

  // One entry: [url, title, date shown, machine date, snippet, importance, terms].
  const entry = async (id) => (await get(toc.docs.files[Math.floor(id / toc.docs.per)]))[id % toc.docs.per];

  /* ---- The search ---- */
  const blank = () => ({ q: '', terms: {}, from: '', to: '', key: false });
  let state = blank();

  // A month key's first and last month: "2017" is 2017-01 to 2017-12.
  const span = (key) => (key.length === 4 ? [key + '-01', key + '-12'] : [key, key]);
  const DATE = /^\d{4}(-\d\d)?$/;
  const chosen = (s) => toc.taxonomies.reduce((n, tax) => n + (s.terms[tax.param] || []).length, 0);
  const active = (s) => !!(s.q.trim() || s.key || s.from || s.to || chosen(s));

  // Entries matching `s`, best first, with each entry's score; null when `s` asks nothing.
  const find = async (s) => {
    if (!active(s)) return null;
    const n = toc.n;
    const ok = new Uint8Array(n).fill(1);
    const score = new Uint16Array(n);
    const keep = (ids) => {
      const has = new Uint8Array(n);
      for (const id of ids) has[id] = 1;
      for (let i = 0; i < n; i++) ok[i] &= has[i];
    };
    for (const tax of toc.taxonomies) {
      for (const slug of s.terms[tax.param] || []) keep(await termIds(tax, slug));
    }
    if (s.key) keep(await get(toc.key, (r) => r.ids()));
    if (s.from || s.to) {
      const from = s.from ? span(s.from)[0] : '';
      const to = s.to ? span(s.to)[1] : '9999-99';
      const ids = [];
      for (const [key, first, count] of toc.months) {
        const [start, end] = span(key);
        if (start >= from && end <= to) for (let i = 0; i < count; i++) ids.push(first + i);
      }
      keep(ids);
    }
    // Every word must match: 3 points where it is in the title or a term, 1
    // where it is only in the text. The last word, still being typed, is a
    // prefix: "weinst" finds "weinstein".
    const typed = queryWords(s.q);
    if (s.q.trim() && !typed.length) ok.fill(0);
    const last = typed[typed.length - 1];
    const prefix = !/\s$/.test(s.q) && last && [...last].length >= 2 ? last : '';
    const words = [...new Set(typed)];
    for (const word of words) {
      const points = new Uint8Array(n);
      for (const [, strong, weak] of await postings(word, word === prefix)) {
        for (const id of weak) points[id] = points[id] || 1;
        for (const id of strong) points[id] = 3;
      }
      for (let i = 0; i < n; i++) {
        if (!points[i]) ok[i] = 0;
        score[i] += points[i];
      }
    }
    const ids = [];
    for (let i = 0; i < n; i++) if (ok[i]) ids.push(i);
    const order = toc.newest_first ? -1 : 1;
    ids.sort((a, b) => score[b] - score[a] || order * (a - b));
    return { ids, ok, words, prefix };
  };

  /* ---- Drawing ---- */
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const events = (n) => (n === 1 ? '1 event' : n + ' events');

  // `text` with the words of the query in <mark>: a word of the text is marked
  // when it is a query word or begins with one of three letters or more (or
  // with the word being typed); in scripts without spaces, the query's pairs.
  const highlight = (text, { words, prefix }) => {
    const marked = new Uint8Array(text.length);
    const hit = (w) => words.some((q) => w === q || (w.startsWith(q) && (q === prefix || [...q].length >= 3)));
    for (const match of text.matchAll(RUN)) {
      // The run's folded characters, each with where it came from.
      const chars = [];
      let at = match.index;
      for (const c of match[0]) {
        for (const d of fold(c)) chars.push([d, at, at + c.length]);
        at += c.length;
      }
      const mark = (i, j) => {
        for (let k = i; k < j; k++) marked.fill(1, chars[k][1], chars[k][2]);
      };
      for (let i = 0; i < chars.length; ) {
        if (UNSPACED.test(chars[i][0])) {
          for (const q of words) {
            const cs = [...q];
            if (cs.every((c, k) => chars[i + k] && chars[i + k][0] === c)) mark(i, i + cs.length);
          }
          i++;
        } else {
          let j = i;
          while (j < chars.length && !UNSPACED.test(chars[j][0])) j++;
          if (hit(chars.slice(i, j).map((c) => c[0]).join('').replace(/^'+|'+$/g, ''))) mark(i, j);
          i = j;
        }
      }
    }
    const out = document.createDocumentFragment();
    for (let i = 0; i < text.length; ) {
      let j = i;
      while (j < text.length && marked[j] === marked[i]) j++;
      out.append(marked[i] ? el('mark', '', text.slice(i, j)) : text.slice(i, j));
      i = j;
    }
    return out;
  };

  const names = new Map(); // "taxonomy index/slug" → the term's name, as entries show it
  const result = (doc, query) => {
    const [url, title, shown, machine, snippet, importance, terms] = doc;
    const li = el('li', 'result importance-' + importance);
    const heading = el('h3', 'result-title');
    const link = el('a');
    link.href = new URL(url, root).href;
    link.append(highlight(title, query));
    heading.append(link);
    const date = el('p', 'result-date');
    const time = el('time', '', shown);
    time.dateTime = machine;
    date.append(time);
    if (importance === 1) date.append(' ', el('span', 'badge badge-key', 'Key event'));
    li.append(heading, date);
    if (snippet) {
      const p = el('p', 'result-snippet');
      p.append(highlight(snippet, query));
      li.append(p);
    }
    if (terms.length) {
      const ul = el('ul', 'terms');
      for (const [t, slug, name] of terms) {
        const tax = toc.taxonomies[t];
        names.set(t + '/' + slug, name);
        const a = el('a', '', name);
        a.href = new URL(`${tax.name}/${slug}/`, root).href;
        const item = el('li', 'term term-' + tax.name);
        item.append(a);
        ul.append(item);
      }
      li.append(ul);
    }
    return li;
  };

  // The taxonomies' chips and the date lists, made once the table is read.
  const facets = () => {
    groups.replaceChildren();
    for (const [t, tax] of toc.taxonomies.entries()) {
      if (!tax.top.length) continue;
      const set = el('fieldset');
      set.dataset.tax = t;
      set.append(el('legend', '', tax.name.charAt(0).toUpperCase() + tax.name.slice(1)), el('div', 'chips'));
      for (const [slug, name] of tax.top) chip(set, tax, slug, name);
      groups.append(set);
    }
    // Every year, then its months: "From 2017" or "From October 2017".
    const keys = [];
    for (const [key] of toc.months) {
      const year = key.slice(0, 4);
      if (!keys.includes(year)) keys.push(year);
      if (!keys.includes(key)) keys.push(key);
    }
    for (const select of Object.values(dates)) {
      select.length = 1;
      for (const key of keys) select.append(new Option(when(key), key));
    }
    show();
  };

  // "2017" or "October 2017", in the page's language.
  const when = (key) => {
    if (key.length === 4) return key;
    const options = { year: 'numeric', month: 'long', timeZone: 'UTC' };
    const date = Date.UTC(+key.slice(0, 4), +key.slice(5) - 1, 1);
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || toc.language, options).format(date);
    } catch {
      return new Intl.DateTimeFormat(undefined, options).format(date);
    }
  };

  const chip = (set, tax, slug, name) => {
    const box = el('input');
    Object.assign(box, { type: 'checkbox', name: tax.param, value: slug });
    const n = el('span', 'n');
    n.dataset.slug = slug;
    n.dataset.tax = toc.taxonomies.indexOf(tax);
    const chipLabel = el('label', 'chip');
    chipLabel.append(box, el('span', 'chip-name', name), ' ', n);
    $('.chips', set).append(chipLabel);
    return chipLabel;
  };

  // The controls as `state` says, and the chips' counts for `found`.
  const show = (found) => {
    input.value = state.q;
    keyBox.checked = state.key;
    if (!toc) return;
    for (const [name, select] of Object.entries(dates)) {
      const key = state[name];
      // A month of a shared address with no entry of its own gets its place.
      if (key && ![...select.options].some((o) => o.value === key)) {
        const after = [...select.options].find((o) => o.value > key);
        select.add(new Option(when(key), key), after);
      }
      select.value = key;
    }
    for (const set of groups.children) {
      const t = +set.dataset.tax;
      const tax = toc.taxonomies[t];
      const wanted = state.terms[tax.param] || [];
      // A term from the address that is not among the top ones gets a chip too.
      for (const slug of wanted) {
        if (!set.querySelector(`input[value="${CSS.escape(slug)}"]`)) chip(set, tax, slug, names.get(t + '/' + slug) || slug);
      }
      for (const chipLabel of set.querySelectorAll('.chip')) {
        const box = chipLabel.firstChild;
        box.checked = wanted.includes(box.value);
        const name = names.get(t + '/' + box.value);
        if (name) chipLabel.children[1].textContent = name;
      }
    }
    const count = chosen(state) + (state.from ? 1 : 0) + (state.to ? 1 : 0);
    summary.textContent = label + (count ? ` (${count} chosen)` : '');
    clear.hidden = !active(state);
    // A count that cannot be read stays as it was: the search itself says
    // what went wrong.
    return counts(found).catch(() => {});
  };

  // Each chip's count: how many of the current results have the term (all
  // entries with it when nothing is searched). The latest call wins,
  // whichever finishes first.
  let counting = 0;
  const counts = async (found) => {
    const mine = ++counting;
    // Closed, the chips are not seen: their terms files (the largest of the
    // index at 100,000 entries) wait until the reader opens them.
    if (!details.open) return;
    const spans = [...groups.querySelectorAll('.n')];
    const lists = await Promise.all(spans.map((n) => termIds(toc.taxonomies[+n.dataset.tax], n.dataset.slug)));
    if (mine !== counting) return;
    spans.forEach((n, i) => {
      let count = lists[i].length;
      if (found) {
        count = 0;
        for (const id of lists[i]) count += found.ok[id];
      }
      n.textContent = String(count);
      n.append(el('span', 'vh', count === 1 ? ' event' : ' events'));
    });
  };

  let found = null;
  let drawn = 0;
  // Appends the next page of results; `focus` moves focus to the first of them.
  const page = async (focus) => {
    const shown = found;
    const ids = found.ids.slice(drawn, drawn + PAGE);
    const docs = await Promise.all(ids.map(entry));
    if (shown !== found) return; // Another search has started meanwhile.
    const items = docs.map((doc) => result(doc, found));
    list.append(...items);
    drawn += ids.length;
    more.hidden = drawn >= found.ids.length;
    if (focus && items.length) $('a', items[0]).focus();
  };

  /* ---- Running it ---- */
  let generation = 0;
  let speak = 0;
  const announce = (text, now) => {
    // Screen readers hear the count once typing pauses, not after every key.
    clearTimeout(speak);
    if (now) status.textContent = text;
    else speak = setTimeout(() => { status.textContent = text; }, 600);
  };

  // Searches for `state` and draws the answer; `now` announces at once.
  const run = async (now) => {
    const mine = ++generation;
    section.setAttribute('aria-busy', 'true');
    const attempt = async (again) => {
      try {
        await loadToc();
        const answer = await find(state);
        if (mine !== generation) return false;
        found = answer;
        drawn = 0;
        if (answer) {
          list.replaceChildren();
          await page(false);
        }
        return true;
      } catch (error) {
        if (again || !(error instanceof Stale)) throw error;
        await loadToc(true);
        return attempt(true);
      }
    };
    try {
      if (!(await attempt(false)) || mine !== generation) return;
      await show(found);
      section.hidden = !found;
      timeline.forEach((node) => { node.hidden = !!found; });
      if (!found) announce('', true);
      else if (!found.ids.length) announce('No event matches', now);
      else announce(found.ids.length === 1 ? '1 event matches' : `${events(found.ids.length)} match`, now);
    } catch (error) {
      if (mine !== generation) return;
      console.warn('dateline: search failed:', error);
      announce('Search is not available right now. The timeline below lists every event.', true);
      section.hidden = true;
      timeline.forEach((node) => { node.hidden = false; });
    } finally {
      if (mine === generation) section.removeAttribute('aria-busy');
    }
  };

  /* ---- The address ---- */
  // ?q=…&tag=…&from=2017-10&to=2017-11&key=1: a search can be shared,
  // bookmarked and reloaded. A parameter that is not the search's (utm_…) is
  // kept as it is, until the search is cleared.
  const fromAddress = () => {
    const params = new URLSearchParams(location.search);
    const s = blank();
    s.q = params.get('q') || '';
    s.key = params.get('key') === '1';
    for (const name of ['from', 'to']) if (DATE.test(params.get(name) || '')) s[name] = params.get(name);
    for (const [name, value] of params) {
      if (!['q', 'key', 'from', 'to'].includes(name) && value && !(s.terms[name] || []).includes(value)) {
        (s.terms[name] = s.terms[name] || []).push(value);
      }
    }
    return s;
  };
  const address = (s) => {
    const params = new URLSearchParams();
    if (s.q.trim()) params.set('q', s.q);
    for (const [name, slugs] of Object.entries(s.terms)) for (const slug of slugs) params.append(name, slug);
    if (s.from) params.set('from', s.from);
    if (s.to) params.set('to', s.to);
    if (s.key) params.set('key', '1');
    const query = params.toString();
    return location.pathname + (query ? '?' + query : '') + location.hash;
  };
  // Links shared before the parameters were singular (?tags=metoo) still work.
  const singular = (s) => {
    for (const tax of toc.taxonomies) {
      if (tax.name !== tax.param && s.terms[tax.name]) {
        s.terms[tax.param] = [...new Set([...(s.terms[tax.param] || []), ...s.terms[tax.name]])];
        delete s.terms[tax.name];
      }
    }
  };

  // A search gets one entry in the history: the first change after a pause
  // pushes a new entry, the changes while typing replace it, so the back button
  // returns to the previous search and not to every letter.
  let settled = true;
  let pause = 0;
  const remember = (discrete) => {
    const url = address(state);
    if (url !== location.pathname + location.search + location.hash) {
      history[settled ? 'pushState' : 'replaceState'](null, '', url);
    }
    settled = discrete;
    clearTimeout(pause);
    if (!discrete) pause = setTimeout(() => { settled = true; }, 1000);
  };

  /* ---- Events ---- */
  let typing = 0;
  form.addEventListener('input', (event) => {
    const target = event.target;
    if (target === input) state.q = input.value;
    else if (target === keyBox) state.key = keyBox.checked;
    else if (target.tagName === 'SELECT') state[target.name] = target.value;
    else if (target.type === 'checkbox') {
      const slugs = (state.terms[target.name] || []).filter((slug) => slug !== target.value);
      if (target.checked) slugs.push(target.value);
      state.terms[target.name] = slugs;
    }
    remember(target !== input);
    clearTimeout(typing);
    section.setAttribute('aria-busy', 'true');
    if (target === input) typing = setTimeout(() => run(false), 150);
    else run(true);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault(); // Enter in the search box: the answer is on this page.
    clearTimeout(typing);
    settled = true;
    run(true);
  });
  // Cleared by hand, as "reset" fires before the browser clears anything;
  // focus goes to the search box, as the button that had it disappears.
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    state = blank();
    show();
    remember(true);
    run(true);
    input.focus();
  });
  // One page at a time, however fast the clicks; a chunk gone meanwhile (a
  // redeploy) means searching again.
  let paging = null;
  more.addEventListener('click', () => {
    paging = paging || page(true).catch(() => run(true)).finally(() => { paging = null; });
  });
  window.addEventListener('popstate', () => {
    const next = fromAddress();
    if (toc) singular(next);
    if (address(next) === address(state)) return; // A link within the page, say.
    state = next;
    settled = true;
    show();
    run(true);
  });

  // The index is read when the reader turns to the search, or at once when
  // the address already holds one.
  const start = () => loadToc().catch((error) => {
    console.warn('dateline: no search, search/index.json failed:', error);
    announce('Search is not available right now. The timeline below lists every event.', true);
    section.removeAttribute('aria-busy');
    return null;
  });
  form.addEventListener('focusin', start);
  details.addEventListener('toggle', () => {
    start().then((table) => {
      if (table && details.open) counts(found).catch(() => {});
    });
  });
  state = fromAddress();
  show();
  form.hidden = false;
  if (location.search.length > 1) {
    section.setAttribute('aria-busy', 'true');
    start().then((table) => {
      if (!table) return;
      singular(state);
      details.open = details.open || chosen(state) > 0 || !!(state.from || state.to);
      history.replaceState(history.state, '', address(state));
      run(true);
    });
  }
})();
