// Builds a dateline site with the dateline binary (DATELINE_BIN; ./test.sh passes the one cargo test built) into a fresh temporary folder,
// served by lib/server.js at a base URL that is only known once the port is.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.js';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BROWSER_DIR = path.resolve(HERE, '..');
export const REPO = path.resolve(BROWSER_DIR, '../..');
/** The binary under test: test.sh builds it; DATELINE_BIN picks another. */
export const BIN = process.env.DATELINE_BIN
  ? path.resolve(process.env.DATELINE_BIN)
  : path.join(REPO, 'target/release/dateline');
/** A small site that exercises what the bundled one lacks (images, corrections, hostile text). */
export const SHOWCASE = path.join(BROWSER_DIR, 'fixtures/showcase');

/**
 * Builds `root` for `baseUrl` into a new temporary folder and returns the folder.
 * A site other than the repository gets a copy of the repository's theme
 * folder, so the theme under test is the working tree's even when the binary's
 * embedded copy is older (test.sh rebuilds it, a developer may not have).
 */
export function build(root, baseUrl, extra = []) {
  if (!fs.existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run \`cargo build --release\` (./test.sh does) or set DATELINE_BIN`);
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-browser-'));
  const output = path.join(out, 'site');
  if (path.resolve(root) !== REPO) {
    const copy = path.join(out, 'root');
    fs.cpSync(root, copy, { recursive: true });
    fs.cpSync(path.join(REPO, 'themes/default'), path.join(copy, 'themes/default'), { recursive: true });
    root = copy;
  }
  try {
    // Warnings (an entry without sources, say) are the content's business, not
    // these tests': they are shown only when the build fails.
    execFileSync(BIN, ['build', '--root', root, '--output', output, '--base-url', baseUrl, '--quiet', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(`dateline build of ${root} failed:\n${error.stderr}`);
  }
  return output;
}

/**
 * Serves a freshly built site: the bundled timeline by default, under `prefix`.
 * Returns the server (see lib/server.js) plus `dir`, the built folder, and
 * `index`, the parsed search-index.json.
 */
export async function serveSite({ root = REPO, prefix = '/', mounts, pages } = {}) {
  let dir = null;
  const server = await serve({ site: () => dir, prefix, mounts, pages });
  dir = build(root, server.base);
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'search-index.json'), 'utf8'));
  const close = server.close;
  return {
    ...server,
    dir,
    index,
    close: async () => {
      await close();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}

/** Every HTML file of a built site, as URL paths relative to the site root. */
export function htmlPages(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full, rel + name + '/');
      else if (name.endsWith('.html')) out.push(name === 'index.html' ? rel : rel + name);
    }
  };
  walk(dir, '');
  return out;
}
