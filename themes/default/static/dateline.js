/* dateline: filtering for the timeline pages.

   The pages are complete without this script: every event is rendered on the
   server and linked. The script only adds a filter by terms, free text and "key
   events only". It hides and shows the server-rendered items instead of drawing
   new ones, so what readers, search engines and printers get stays the same.
   Text from search-index.json is plain text written by editors; it enters the
   page through textContent only, never innerHTML, so a term like "<b>" stays
   text. No framework and no build step, so the theme stays editable. */
(() => {
  'use strict';

  const form = document.querySelector('form.filter');
  const items = [...document.querySelectorAll('.tl-item[data-slug]')];
  if (!form || !items.length || !window.fetch) return;

  const $ = (selector) => form.querySelector(selector);
  const search = $('input[type="search"]');
  const keyBox = $('input[name="key"]');
  const details = $('.filter-terms');
  const summary = $('summary');
  const status = $('.filter-status');
  const clear = $('.filter-clear');
  const empty = document.querySelector('.filter-empty');
  const sections = document.querySelectorAll('.month, .year');
  const rows = document.querySelectorAll('.timeline > li');
  const entries = {};
  let taxonomies = [];
  let label = '';
  let timer = 0;

  // One URL parameter per taxonomy, singular where English makes it easy
  // (tags → tag, categories → category), so a shared link reads naturally:
  // ?tag=metoo&people=alyssa-milano&q=twitter. The plural works too.
  const param = (tax) => (/ies$/.test(tax) ? tax.slice(0, -3) + 'y' : /[^s]s$/.test(tax) ? tax.slice(0, -1) : tax);

  // Case, accents and curly quotes should not decide whether "cafe" finds
  // "Café" or "milano's" finds "Milano’s".
  const fold = (text) =>
    String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').toLowerCase();

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const events = (n) => (n === 1 ? '1 event' : n + ' events');

  // The filter as the form shows it.
  const state = () => {
    const terms = {};
    form.querySelectorAll('.chip input:checked').forEach((box) => {
      (terms[box.dataset.tax] = terms[box.dataset.tax] || []).push(box.value);
    });
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    const key = !!(keyBox && keyBox.checked);
    return { words, key, terms, on: words.length > 0 || key || Object.keys(terms).length > 0 };
  };

  const matches = (entry, st) => {
    if (!entry) return false; // Unknown to the index: shown only unfiltered.
    if (st.key && entry.importance !== 1) return false;
    // Every chosen term must be there: choosing more narrows the list.
    for (const tax in st.terms) {
      const has = (entry.terms && entry.terms[tax]) || [];
      if (!st.terms[tax].every((slug) => has.includes(slug))) return false;
    }
    const hay = entry.hay || (entry.hay = fold(entry.title + ' ' + entry.summary));
    return st.words.every((word) => hay.includes(word));
  };

  // Hides what does not match, then whatever that leaves empty around it.
  const apply = (announceNow) => {
    const st = state();
    let shown = 0;
    for (const li of items) {
      li.hidden = st.on && !matches(entries[li.dataset.slug], st);
      if (!li.hidden) shown++;
    }
    // An era's label stays while any event of that era after it is visible.
    let mark = null;
    rows.forEach((li) => {
      if (li.classList.contains('era-mark')) {
        mark = li;
        li.hidden = st.on;
      } else if (mark && !li.hidden && li.dataset.era === mark.dataset.era) {
        mark.hidden = false;
      }
    });
    sections.forEach((section) => {
      section.hidden = !section.querySelector('.tl-item:not([hidden])');
    });
    if (empty) empty.hidden = shown > 0;
    clear.hidden = !st.on;
    const chosen = Object.values(st.terms).reduce((n, slugs) => n + slugs.length, 0);
    summary.textContent = label + (chosen ? ` (${chosen} chosen)` : '');
    updateUrl(st);
    const text = !st.on ? `Showing all ${events(items.length)}.`
      : shown ? `Showing ${shown} of ${events(items.length)}.` : 'No event matches these filters.';
    // Screen readers hear the count once typing pauses, not after every key.
    clearTimeout(timer);
    if (announceNow) status.textContent = text;
    else timer = setTimeout(() => { status.textContent = text; }, 500);
  };

  // The address reflects the filter, so a filtered view can be shared or
  // bookmarked; replaceState, so typing does not fill the back button.
  const updateUrl = (st) => {
    const params = new URLSearchParams();
    for (const tax of taxonomies) for (const slug of st.terms[tax] || []) params.append(param(tax), slug);
    if (search.value.trim()) params.set('q', search.value.trim());
    if (st.key) params.set('key', '1');
    const query = params.toString();
    history.replaceState(history.state, '', location.pathname + (query ? '?' + query : '') + location.hash);
  };

  const chip = (tax, slug, name, count, checked) => {
    const box = el('input');
    Object.assign(box, { type: 'checkbox', name: param(tax), value: slug, checked });
    box.dataset.tax = tax;
    const n = el('span', 'n', String(count));
    n.append(el('span', 'vh', count === 1 ? ' event' : ' events'));
    const chipLabel = el('label', 'chip');
    chipLabel.append(box, el('span', '', name), ' ', n);
    return chipLabel;
  };

  const init = (index) => {
    for (const e of index.entries || []) entries[e.slug] = e;
    const params = new URLSearchParams(location.search);
    const onPage = items.map((li) => entries[li.dataset.slug]).filter(Boolean);
    // Taxonomies in the site's order (the template lists them), not the
    // index's alphabetical one.
    const order = (form.dataset.taxonomies || '').split(' ');
    const rank = (tax) => (order.includes(tax) ? order.indexOf(tax) : order.length);
    taxonomies = Object.keys(index.terms || {}).sort((a, b) => rank(a) - rank(b));
    const shownTaxonomies = taxonomies.filter((tax) => {
      const names = index.terms[tax];
      const wanted = params.getAll(param(tax)).concat(tax === param(tax) ? [] : params.getAll(tax));
      const counts = {};
      for (const e of onPage) for (const slug of (e.terms && e.terms[tax]) || []) counts[slug] = (counts[slug] || 0) + 1;
      // A term every listed event has cannot narrow the list (on the term's
      // own page, say), so it gets no chip unless the address asks for it.
      const slugs = Object.keys(names)
        .filter((slug) => wanted.includes(slug) || (counts[slug] && counts[slug] < onPage.length))
        .sort((a, b) => (counts[b] || 0) - (counts[a] || 0) || names[a].localeCompare(names[b]));
      if (!slugs.length) return false;
      const set = el('fieldset');
      const list = el('div', 'chips');
      list.append(...slugs.map((slug) => chip(tax, slug, names[slug], counts[slug] || 0, wanted.includes(slug))));
      set.append(el('legend', '', tax.charAt(0).toUpperCase() + tax.slice(1)), list);
      $('.filter-groups').append(set);
      return true;
    });
    label = 'Filter by ' + shownTaxonomies.join(', ').replace(/, ([^,]*)$/, ' and $1');
    details.hidden = !shownTaxonomies.length;
    details.open = !!$('.chip input:checked');
    search.value = params.get('q') || '';
    if (keyBox) keyBox.checked = params.get('key') === '1';

    form.addEventListener('input', (event) => apply(event.target !== search));
    form.addEventListener('submit', (event) => {
      event.preventDefault(); // Enter in the search box: there is nothing to send.
      apply(true);
    });
    // Cleared by hand, since "reset" fires before the browser clears anything;
    // focus goes to the search box, as the button that had it disappears.
    form.addEventListener('reset', (event) => {
      event.preventDefault();
      form.querySelectorAll('input').forEach((input) => {
        if (input.type === 'checkbox') input.checked = false;
        else input.value = '';
      });
      apply(true);
      search.focus();
    });
    if (empty) empty.querySelector('button').addEventListener('click', () => form.reset());
    apply(true);
    // Unfiltered, the page header already gives the count: nothing to announce.
    if (!state().on) status.textContent = '';
    form.hidden = false;
  };

  // Relative to the site's root, which may be a sub-path (/metoo/).
  fetch((document.documentElement.dataset.root || '/') + 'search-index.json')
    .then((response) => {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(init)
    .catch((error) => {
      // The full list is already on the page; without the index it stays so.
      console.warn('dateline: no filter, search-index.json failed:', error);
    });
})();
