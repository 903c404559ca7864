// Debian's Chromium driven by playwright-core. Never a downloaded browser: the
// path is fixed, and test.sh installs the `chromium` package when it is missing.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    // playwright adds --headless itself; the rest keep Chromium from phoning
    // home, which would show up as requests to other hosts.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A page that records what went wrong while it was used: console errors,
 * uncaught exceptions, failed or 4xx/5xx requests, and any request to a host
 * other than 127.0.0.1 (aborted before it leaves the machine).
 */
export async function watchedPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const problems = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') {
      return route.continue();
    }
    problems.push(`request to another host: ${url.href}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? '';
    // Blocked: reported above. Aborted: the test moved on to the next page
    // while, say, the favicon was loading; a missing file is a 404, below.
    if (!/ERR_BLOCKED_BY_CLIENT|ERR_ABORTED/.test(why)) problems.push(`request failed: ${req.url()} (${why})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !page.expect404) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems };
}

/**
 * Loads `url` and waits until the theme's script has done its work: the search
 * form is shown (or the page has none), and a search the address holds
 * (`?q=…`) has been answered. A form that never appears, or a search that never
 * ends, means the script or the index under search/ failed, which the caller's
 * problems list shows.
 */
export async function open(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (page.jsEnabled !== false) {
    await page
      .waitForFunction(() => {
        const form = document.querySelector('form[role="search"]');
        return !form || (!form.hidden && !document.querySelector('.search-results[aria-busy]'));
      }, null, { timeout: 5000 })
      .catch(() => {
        throw new Error(`the search form on ${url} never appeared or never answered (script or search index failed)`);
      });
  }
  return response;
}

/** Waits until the search has answered the last change (typing is debounced). */
export async function searched(page) {
  await page.waitForFunction(() => !document.querySelector('.search-results[aria-busy]'), null, { timeout: 5000 });
}
