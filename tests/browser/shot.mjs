// dev helper (not a test): node shot.mjs URL OUT WIDTH [light|dark] [full|SCROLLY] [HEIGHT]
import { launch } from './lib/browser.js';
const [url, out, width, scheme = 'light', mode = 'full', height = '900'] = process.argv.slice(2);
const b = await launch();
const p = await b.newPage({ viewport: { width: +width, height: +height }, colorScheme: scheme });
p.on('console', (m) => console.log('console', m.type(), m.text()));
p.on('pageerror', (e) => console.log('pageerror', e.message));
await p.goto(url);
await p.waitForTimeout(200);
if (mode !== 'full') { await p.evaluate((y) => window.scrollTo(0, y), +mode); await p.waitForTimeout(100); }
await p.screenshot({ path: out, fullPage: mode === 'full' });
await b.close();
