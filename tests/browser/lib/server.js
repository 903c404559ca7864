// A tiny static file server for the built site, on 127.0.0.1 and a free port.
// It behaves like the static hosts the site is published to: `/dir/` serves
// `/dir/index.html`, `/dir` redirects to `/dir/`, and an unknown path gets the
// site's 404.html with status 404. `prefix` mounts the site under a sub-path
// (`/metoo/`), and `mounts` serves extra folders (TimelineJS's dist files).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Resolves `rel` inside `dir`, or null when it would escape it. */
function inside(dir, rel) {
  const full = path.resolve(dir, '.' + path.posix.normalize('/' + rel));
  return full === dir || full.startsWith(dir + path.sep) ? full : null;
}

/**
 * Starts a server. `site()` returns the folder to serve (so the folder can be
 * built after the port is known); `prefix` is the URL path of the site root.
 * Returns { port, origin, url(path), close(), requests }.
 */
export async function serve({ site, prefix = '/', mounts = {}, pages = {} }) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    requests.push(pathname);
    const send = (status, file, headers = {}) => {
      const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    };
    if (pages[pathname] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(pages[pathname]);
      return;
    }
    let root = null;
    let rel = null;
    for (const [mount, dir] of Object.entries(mounts)) {
      if (pathname.startsWith(mount)) {
        root = path.resolve(dir);
        rel = pathname.slice(mount.length);
        break;
      }
    }
    const siteDir = path.resolve(site());
    if (root === null && pathname.startsWith(prefix)) {
      root = siteDir;
      rel = pathname.slice(prefix.length);
    }
    const notFound = () => {
      const page = path.join(siteDir, '404.html');
      if (fs.existsSync(page)) send(404, page);
      else res.writeHead(404).end('not found');
    };
    if (root === null) return notFound();
    const file = inside(root, rel);
    if (file === null || !fs.existsSync(file)) return notFound();
    if (fs.statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: url.pathname + '/' + url.search }).end();
        return;
      }
      const index = path.join(file, 'index.html');
      return fs.existsSync(index) ? send(200, index) : notFound();
    }
    send(200, file);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    base: origin + prefix,
    url: (p = '') => origin + prefix + p.replace(/^\//, ''),
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
