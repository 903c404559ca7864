// Every built HTML page, and the theme's style sheet, through the Nu HTML
// Checker (npm vnu-jar, run with the machine's Java): no error allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { build, htmlPages, REPO, SHOWCASE } from './lib/site.js';

const require = createRequire(import.meta.url);
const VNU = String(require('vnu-jar')); // The path of vnu.jar.

function check(files, extra = []) {
  // vnu exits non-zero when it finds errors; the JSON report says which.
  let out;
  try {
    out = execFileSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', '--stdout', ...extra, ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    if (!error.stdout) throw error;
    out = error.stdout;
  }
  return JSON.parse(out).messages.map((m) => `${m.url?.replace(/^file:/, '')}:${m.lastLine}: ${m.message} ${m.extract ? `[${m.extract.trim()}]` : ''}`);
}

test('Nu HTML Checker: no error on any page of the bundled site (domain root and sub-path) or the showcase', (t) => {
  const dirs = [
    build(REPO, 'http://127.0.0.1:8000/'),
    build(REPO, 'http://127.0.0.1:8000/metoo/'),
    build(SHOWCASE, 'http://127.0.0.1:8000/showcase/'),
  ];
  t.after(() => dirs.forEach((d) => fs.rmSync(path.dirname(d), { recursive: true, force: true })));
  const files = dirs.flatMap((d) => htmlPages(d).map((p) => path.join(d, p.endsWith('/') || p === '' ? `${p}index.html` : p)));
  assert.ok(files.length > 60, `${files.length} pages`);
  t.diagnostic(`${files.length} pages checked`);
  assert.deepEqual(check(files), []);
  assert.deepEqual(check([path.join(dirs[0], 'dateline.css')], ['--also-check-css']), []);
});
