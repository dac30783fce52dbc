// A tiny static server for the built site, as a host would serve it: under a path prefix
// (`/` or `/pr-preview/pr-12/`), `index.html` for folder URLs, the site's `_headers`
// applied the way Cloudflare Pages applies them (so the CSP is enforced), and the site's
// `404.html` with status 404 for unknown paths when the site sits at the host root.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8', '.xml': 'application/xml', '.pdf': 'application/pdf',
};

// `_headers` as [{ host, pathPattern (RegExp), headers: [[name, value]] }].
export function parseHeaders(text) {
  const rules = [];
  let rule = null;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      let target = line.trim();
      let host = null;
      const url = target.match(/^https?:\/\/([^/]+)(\/.*)$/);
      if (url) { host = url[1]; target = url[2]; }
      rule = { host: host && patternToRegExp(host, '[^.]+'), path: patternToRegExp(target, '[^/]+'), headers: [] };
      rules.push(rule);
    } else if (rule) {
      const at = line.indexOf(':');
      rule.headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

function patternToRegExp(pattern, placeholder) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*').replace(/:[A-Za-z]\w*/g, placeholder);
  return new RegExp(`^${escaped}$`);
}

export function headersFor(rules, host, sitePath) {
  const out = {};
  for (const rule of rules) {
    if (rule.host && !rule.host.test(host)) continue;
    if (!rule.path.test(sitePath)) continue;
    for (const [name, value] of rule.headers) out[name] = value;
  }
  return out;
}

export function startStaticServer(dir, prefix = '/') {
  const headersFile = path.join(dir, '_headers');
  const rules = fs.existsSync(headersFile) ? parseHeaders(fs.readFileSync(headersFile, 'utf8')) : [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const pathname = decodeURIComponent(url.pathname);
    const send = (status, file, extra = {}) => {
      const sitePath = '/' + pathname.slice(prefix.length);
      const headers = { ...headersFor(rules, req.headers.host || '', sitePath), ...extra };
      if (file) {
        headers['Content-Type'] = TYPES[path.extname(file)] || 'application/octet-stream';
        res.writeHead(status, headers);
        res.end(req.method === 'HEAD' ? undefined : fs.readFileSync(file));
      } else {
        res.writeHead(status, { ...headers, 'Content-Type': 'text/plain' });
        res.end(status === 301 ? 'moved' : 'not found');
      }
    };
    if (!pathname.startsWith(prefix) || pathname.split('/').includes('..')) return send(404, null);
    const relative = pathname.slice(prefix.length);
    let file = path.join(dir, relative);
    if (relative === '' || relative.endsWith('/')) file = path.join(file, 'index.html');
    const hidden = ['_headers', '_redirects'].includes(relative);
    if (!hidden && fs.existsSync(file) && fs.statSync(file).isFile()) return send(200, file);
    if (fs.existsSync(path.join(file, 'index.html'))) return send(301, null, { Location: pathname + '/' });
    const notFound = path.join(dir, '404.html');
    if (prefix === '/' && fs.existsSync(notFound)) return send(404, notFound);
    return send(404, null);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${server.address().port}${prefix}` });
    });
  });
}
