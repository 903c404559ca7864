// A generated site for the search tests: enough entries for several timeline
// pages and several chunks of the search index, with words the tests look for
// placed where the tests need them. Deterministic: the same call writes the
// same files. Returns what each entry holds, so a test can work out what a
// search must find without asking the theme's script.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Words of the generated prose. No two share an English stem, and none begins
// a word the tests search for, so a search's answer can be worked out from the
// words alone.
export const COMMON = [
  'council', 'vote', 'court', 'hearing', 'campaign', 'election', 'witness', 'statement',
  'budget', 'inquiry', 'protest', 'harbor', 'bridge', 'river', 'museum', 'festival',
  'railway', 'stadium', 'library', 'garden', 'mayor', 'ferry', 'tunnel', 'market',
];
export const TAGS = ['Budget', 'Transport', 'Health', 'Schools', 'Housing', 'Police'];
export const PEOPLE = ['Ada Okafor', 'Ben Lindqvist', 'Chloé Martin', 'Dev Raman'];
// More places than the index offers as facets (20), so some are only in its
// other terms chunks.
export const PLACES = Array.from({ length: 30 }, (_, i) => `Ward ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''}`);

/** The words the tests look for, and where they are. */
export const SPECIAL = {
  // Only in the body of an entry near the end: on the last timeline page.
  unique: 'xylobrandt',
  // In the title of one entry, in the bodies of two earlier ones.
  ranked: 'zephyrine',
  // Typed as "quokka": "quokkaroo" in bodies, "quokkas" in a title.
  prefix: 'quokka',
};

// SplitMix32-ish: small, deterministic, enough for test data.
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

const day = (i) => new Date(Date.UTC(2015, 0, 1) + i * 86400000).toISOString().slice(0, 10);
const quote = (s) => JSON.stringify(s);

/**
 * Writes a site of `n` dated entries (plus one dated by year only and one by
 * month only) into a new temporary folder. Returns { root, entries }: each
 * entry's slug, title, summary, body, terms (names per taxonomy), date key
 * (`YYYY-MM`, or `YYYY`) and importance.
 */
export function writeSyntheticSite(n = 450) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-synthetic-'));
  fs.mkdirSync(path.join(root, 'content'));
  fs.writeFileSync(
    path.join(root, 'site.yaml'),
    [
      'title: "A generated timeline"',
      'description: "Made by the browser tests to search across many pages."',
      'base_url: "https://example.org/"',
      'language: en',
      'taxonomies: [tags, people, places]',
      'timezone: Europe/London',
      'paginate: 100',
      '',
    ].join('\n'),
  );
  const next = random(42);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const consonants = 'bcdfghjklmnpqrstvwxz';
  // Filler words, unique to the site, to make a vocabulary large enough for
  // several words chunks. They start with "v", which no searched word does.
  const filler = () => 'v' + Array.from({ length: 7 }, () => pick(consonants)).join('');
  const sentence = () => Array.from({ length: 8 }, () => pick(COMMON)).join(' ') + '.';
  const entries = [];
  const add = (file, entry) => {
    const front = [
      `title: ${quote(entry.title)}`,
      `date: ${entry.date}`,
      `importance: ${entry.importance}`,
      entry.summary ? `summary: ${quote(entry.summary)}` : null,
      `tags: ${JSON.stringify(entry.terms.tags)}`,
      `people: ${JSON.stringify(entry.terms.people)}`,
      `places: ${JSON.stringify(entry.terms.places)}`,
      'sources:',
      `  - { title: "Official record", url: "https://example.com/${entry.slug}", publisher: "The Gazette" }`,
    ].filter(Boolean);
    fs.writeFileSync(path.join(root, 'content', file), `---\n${front.join('\n')}\n---\n\n${entry.body}\n`);
    entries.push(entry);
  };
  for (let i = 0; i < n; i++) {
    const words = [sentence(), sentence(), Array.from({ length: 20 }, filler).join(' ') + '.'];
    let title = `Event ${i}: the ${pick(COMMON)} and the ${pick(COMMON)}`;
    if (i === n - 3) words.push(`A ${SPECIAL.unique} appears here and nowhere else.`);
    if (i === 300) title = `The ${SPECIAL.ranked} question reaches the court`;
    if (i === 100 || i === 200) words.push(`Someone mentions the ${SPECIAL.ranked} plan.`);
    if (i >= 50 && i <= 52) words.push(`A quokkaroo was seen near the harbor.`);
    if (i === 60) title = `Quokkas arrive at the museum`;
    if (i === 70) title = 'Café Müller reopens';
    if (i === 80) words.push('東京都の会議.');
    if (i === 90) words.push('Inside Marchetti’s office.');
    const tags = [TAGS[i % TAGS.length]];
    if (i % 4 === 0) tags.push(TAGS[(i + 3) % TAGS.length]);
    const entry = {
      slug: `event-${i}`,
      date: day(i),
      key: day(i).slice(0, 7),
      title,
      summary: i % 2 === 0 ? sentence() : '',
      body: words.join('\n\n'),
      importance: i % 9 === 0 ? 1 : i % 5 === 0 ? 3 : 2,
      terms: { tags, people: i % 3 === 0 ? [PEOPLE[i % PEOPLE.length]] : [], places: [PLACES[(i * 7) % PLACES.length]] },
    };
    add(`${entry.date}-event-${i}.md`, entry);
  }
  const extra = (slug, date, key, title) => ({
    slug, date, key, title, summary: sentence(), body: sentence(), importance: 2,
    terms: { tags: ['Housing'], people: [], places: [PLACES[0]] },
  });
  add('2014-background.md', extra('background', '2014', '2014', 'Background to the year'));
  add('2015-06-month.md', extra('month', '2015-06', '2015-06', 'A month of unrest'));
  return { root, entries };
}

// The twelve ideographs of the CJK compatibility block that are unified ones
// (no decomposition): the only letters from U+E000 to U+FFFF that a search
// word keeps. UTF-16 sorts them after every astral character, code points
// before.
export const LATE_BMP = [0xfa0e, 0xfa0f, 0xfa11, 0xfa13, 0xfa14, 0xfa1f, 0xfa21, 0xfa23, 0xfa24, 0xfa27, 0xfa28, 0xfa29].map((c) => String.fromCodePoint(c));
/** An astral ideograph (U+2000B), in one entry of the Unicode site. */
export const ASTRAL = '\u{2000B}';

/**
 * A site whose vocabulary ends with runs of LATE_BMP characters large enough
 * to fill words chunks of their own, then an astral word: a reader that
 * compared words by UTF-16 units would look for the astral word in the wrong
 * chunk. Returns { root, entries } like writeSyntheticSite.
 */
export function writeUnicodeSite(n = 400) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-unicode-'));
  fs.mkdirSync(path.join(root, 'content'));
  fs.writeFileSync(path.join(root, 'site.yaml'), 'title: "Unicode words"\nbase_url: "https://example.org/"\nlanguage: zh\ntimezone: Europe/London\npaginate: 100\n');
  const next = random(7);
  const run = () => [...LATE_BMP].sort(() => next() - 0.5).join('');
  const entries = [];
  for (let i = 0; i < n; i++) {
    const title = `Entry ${i}` + (i % 2 ? '' : ' ' + run());
    const body = [run(), run(), i % 2 ? run() : '', i === 123 ? `Here: ${ASTRAL} .` : ''].filter(Boolean).join('\n\n');
    const slug = `entry-${i}`;
    fs.writeFileSync(path.join(root, 'content', `${day(i)}-${slug}.md`), `---\ntitle: ${quote(title)}\ndate: ${day(i)}\n---\n\n${body}\n`);
    entries.push({ slug, title, body });
  }
  return { root, entries };
}
