// Nothing a page says can run: builds the XSS fixture site (tests/browser/xss/, every
// vector of vectors.mjs in every field and page kind) with the given opsbook binary and
// opens EVERY generated page in headless Chromium, from file:// (no headers, the way a
// reviewer opens a PR preview artifact) and over HTTP with the site's `_headers` (the
// CSP enforced). Each page is loaded, then every element gets the events a reader
// causes (hover, press, focus, keys, wheel, copy, toggle, load and error), every
// <details> is opened and closed, every link, button and summary is clicked (links to
// ordinary addresses are kept from leaving the page, so a script URL is the only thing
// a click can run), and the search page is searched for what the vectors contain.
//
// Every vector reports a number (field * 1000 + vector) through alert, prompt, confirm,
// print, open, fetch or a global `xss` it sets; all of those (and XMLHttpRequest,
// sendBeacon, dialogs, pop-ups and navigation away from the page) are hooked in every
// frame before any script runs. The check fails on:
//   - any execution, listed by vector, field, page and sink;
//   - live markup a sanitiser must not let through even where this check cannot make
//     it run (an on* attribute, a script URL in any URL attribute, <script>, <iframe>,
//     <object>, <embed>, <base>, <meta http-equiv=refresh>, SVG animation of href);
//   - over HTTP, a script, object, frame, form or base CSP violation (markup that only
//     the CSP stopped);
//   - a harness that sees nothing: a canary page with known live vectors must be caught
//     by every host before the site is checked.
//
//   node xss.mjs --bin target/release/opsbook [--keep DIR] [--jobs N] [--only PATH_PART]
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launch } from './lib/browser.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { FIELDS, siteFiles, writeSite } from './xss/generate.mjs';
import { URL_VECTORS, VECTORS, sink } from './xss/vectors.mjs';

const { values: args } = parseArgs({
  options: {
    bin: { type: 'string' },
    keep: { type: 'string' },
    jobs: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
if (!args.bin) {
  console.error('usage: node xss.mjs --bin OPSBOOK [--keep DIR] [--jobs N] [--only PATH_PART]');
  process.exit(2);
}

const work = args.keep ? path.resolve(args.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'opsbook-xss-'));
const site = path.join(work, 'site');
const out = path.join(work, 'public');
const canaryDir = path.join(work, 'canary');
let browser;
const servers = [];

// The canary: live vectors, so a check that cannot see an execution fails at once.
const CANARY = 99;
const CANARY_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>canary</title></head><body>
<img src=x onerror=alert(${CANARY}001)>
<a href="javascript:prompt(${CANARY}002)">script link</a>
<details ontoggle=confirm(${CANARY}003)><summary>toggle</summary>x</details>
<div onmouseover=xss=${CANARY}004>hover</div>
<form action="javascript:open(${CANARY}005)"><button>send</button></form>
<p><a href="https://example.com/">an ordinary link, kept from leaving</a></p>
</body></html>`;

before(async () => {
  writeSite(site, { fileNames: true });
  buildSite();
  fs.mkdirSync(canaryDir, { recursive: true });
  fs.writeFileSync(path.join(canaryDir, 'index.html'), CANARY_HTML);
  fs.copyFileSync(path.join(out, '_headers'), path.join(canaryDir, '_headers'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  if (!args.keep) fs.rmSync(work, { recursive: true, force: true });
});

// The fixture warns thousands of times (that is its job); only errors are shown.
function buildSite() {
  try {
    execFileSync(path.resolve(args.bin), ['build', '--root', site, '--out', out, '--format', 'json'],
      { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  } catch (error) {
    const errors = String(error.stdout || '').split('\n').filter((line) => line.includes('"severity":"error"'));
    throw new Error(`the XSS fixture does not build:\n${errors.slice(0, 20).join('\n')}\n${String(error.stderr || '').slice(-500)}`);
  }
}

// Runs in every frame before its scripts: replaces each sink with a reporter.
function installHooks() {
  const report = (kind, value) => {
    try { console.debug(`__xss__${JSON.stringify([kind, String(value), location.href])}`); } catch { /* reported nothing */ }
  };
  const first = (list) => (list.length ? list[0] : '');
  for (const name of ['alert', 'prompt', 'confirm', 'print']) {
    window[name] = function (...list) { report(name, first(list)); return name === 'confirm' ? false : null; };
  }
  window.open = function (...list) { report('open', first(list)); return null; };
  window.fetch = function (...list) { report('fetch', first(list)); return Promise.reject(new TypeError('fetch is hooked')); };
  const xhrOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (...list) { report('XMLHttpRequest', list[1]); return xhrOpen.apply(this, list); };
  if (navigator.sendBeacon) navigator.sendBeacon = function (...list) { report('sendBeacon', first(list)); return true; };
  Object.defineProperty(window, 'xss', { set(value) { report('global xss', value); }, get() { return undefined; }, configurable: false });
  document.addEventListener('securitypolicyviolation', (e) => {
    report('csp', `${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sample || ''}`);
  });
}

// Runs in the page: markup that must never be published, found without running it.
function findLiveMarkup() {
  const scriptUrl = (value) => /^(javascript|vbscript|data|livescript):/i.test(value.replace(/[\u0000-\u0020\u007f-\u00a0]+/g, ''));
  const urlAttributes = ['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'srcset', 'codebase', 'cite', 'ping', 'lowsrc', 'dynsrc'];
  const forbidden = 'iframe, frame, frameset, object, embed, applet, base, meta[http-equiv=refresh i], link[rel=import], portal';
  const theme = document.querySelector('script[src*="static/search.js"]');
  const site = theme ? new URL('..', theme.src).href : new URL('.', location.href).href;
  const found = [];
  const add = (element, problem) => found.push({ problem, html: element.outerHTML.slice(0, 300) });
  for (const element of document.querySelectorAll('*')) {
    const name = element.localName;
    for (const attribute of element.attributes) {
      const attr = attribute.name.toLowerCase();
      if (attr.startsWith('on')) add(element, `${attr} handler on <${name}>`);
      else if (attr === 'srcdoc') add(element, `srcdoc on <${name}>`);
      else if (urlAttributes.includes(attr) && scriptUrl(attribute.value)) {
        const image = name === 'img' && attr === 'src' && /^data:image\/(png|gif|jpe?g|webp|avif);/i.test(attribute.value.trim());
        if (!image) add(element, `${attr}="${attribute.value.slice(0, 40)}" on <${name}>`);
      } else if (attr === 'style' && /javascript:|expression\(|url\(/i.test(attribute.value)) add(element, `style with a URL on <${name}>`);
    }
    if (['animate', 'set'].includes(name) && /^(href|xlink:href|on)/i.test(element.getAttribute('attributeName') || '')) add(element, `SVG <${name}> of ${element.getAttribute('attributeName')}`);
    if (name === 'script' && !(element.src && element.src.startsWith(site) && /\/(static\/[a-z]+\.js|search-index(-\d+)?\.js)$/.test(element.src))) add(element, '<script> that is not the theme\'s');
  }
  for (const element of document.querySelectorAll(forbidden)) add(element, `<${element.localName}>`);
  return found;
}

// Runs in the page: what a reader does. Links and forms that go to an ordinary address
// are kept on the page; script URLs are left to run (and be hooked).
async function actLikeAReader() {
  const ordinary = (url) => { try { return /^(https?|file|mailto|tel):$/.test(new URL(url, document.baseURI).protocol); } catch { return false; } };
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  document.addEventListener('click', (e) => {
    const link = e.target.closest?.('a[href], area[href]');
    if (link && ordinary(link.href)) e.preventDefault();
  }, true);
  document.addEventListener('submit', (e) => {
    // A button's `formAction` is the page's address when it has no `formaction`.
    const action = e.submitter?.hasAttribute('formaction') ? e.submitter.formAction : e.target.action;
    if (ordinary(action)) e.preventDefault();
  }, true);
  const elements = [...document.querySelectorAll('body *')];
  const events = ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'pointerover', 'pointerenter',
    'pointerdown', 'pointerup', 'dblclick', 'contextmenu', 'wheel', 'keydown', 'keypress', 'keyup', 'input', 'change',
    'copy', 'paste', 'cut', 'select', 'drag', 'dragstart', 'drop', 'touchstart', 'scroll', 'animationstart',
    'animationend', 'transitionend', 'toggle', 'load', 'error', 'begin', 'end', 'focusin', 'focusout', 'blur'];
  for (const element of elements) {
    for (const type of events) element.dispatchEvent(new Event(type, { bubbles: true }));
    if (typeof element.focus === 'function') element.focus();
  }
  for (const details of document.querySelectorAll('details')) details.open = !details.open;
  await pause(50);
  for (const details of document.querySelectorAll('details')) details.open = !details.open;
  const clickable = elements.filter((e) => e.isConnected);
  for (const element of clickable) {
    const target = element.closest('a[href], area[href]');
    const risky = (target && !ordinary(target.href)) || element.matches('button, input, form *');
    if (typeof element.click === 'function') element.click();
    else element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    if (risky) await pause(20);
  }
  await pause(150);
}

const NUMBER = /\b(\d{4,5})\b/;

function describeNumber(n) {
  const field = Math.floor(n / 1000);
  const index = n % 1000;
  if (field === CANARY) return `canary ${n}`;
  const name = FIELDS[field] || `field ${field}`;
  let text;
  if (index >= 900 && URL_VECTORS[index - 900]) text = URL_VECTORS[index - 900](sink(index - 900, n), n);
  else if (VECTORS[index]) text = VECTORS[index](sink(index, n), n);
  return `vector ${index} in "${name}": ${JSON.stringify((text || '?').slice(0, 140))}`;
}

// Opens one page, acts on it, and returns what ran and what is live.
async function checkPage(context, url, { http, search = [] } = {}) {
  const page = await context.newPage();
  const runs = [];
  const note = (kind, value, where) => {
    // A vector's number, not a port or a line in a URL the CSP names.
    const n = Number((String(value).replace(/\w+:\/\/[^\s]*/g, '').match(NUMBER) || [])[1]);
    runs.push({ kind, value: String(value).slice(0, 200), where, n: Number.isFinite(n) ? n : null });
  };
  page.on('console', (message) => {
    const text = message.text();
    if (!text.startsWith('__xss__')) return;
    const [kind, value, where] = JSON.parse(text.slice('__xss__'.length));
    if (kind === 'csp') {
      if (http && /^(script-src|object-src|frame-src|child-src|form-action|base-uri|worker-src)/.test(value)) note('CSP violation', value, where);
      return;
    }
    note(kind, value, where);
  });
  page.on('dialog', async (dialog) => { note(`${dialog.type()} dialog`, dialog.message(), page.url()); await dialog.dismiss().catch(() => {}); });
  page.on('popup', async (popup) => { note('pop-up', popup.url(), page.url()); await popup.close().catch(() => {}); });
  const start = url.split('#')[0];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().split('#')[0] !== start) note('navigated away', frame.url(), start);
  });
  let live = [];
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    await page.waitForTimeout(100);
    live = await page.evaluate(findLiveMarkup);
    await page.evaluate(actLikeAReader);
    for (const query of search) {
      if (page.url().split('#')[0] !== start) await page.goto(url, { waitUntil: 'load' });
      await page.fill('#search-page-input', query);
      await page.waitForSelector('.search-page-form [data-search-results]:not([hidden])', { timeout: 10000 });
      live.push(...await page.evaluate(findLiveMarkup));
      await page.evaluate(actLikeAReader);
    }
    await page.waitForTimeout(100);
  } catch (error) {
    note('check error', error.message.split('\n')[0], url);
  }
  await page.close();
  return { url, runs, live };
}

// Every HTML file the build wrote, as site-relative paths.
function htmlFiles(dir) {
  const found = [];
  const walk = (at) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found.sort();
}

async function checkSite(context, base, http) {
  const files = htmlFiles(out).filter((file) => !args.only || file.includes(args.only));
  const urls = files.map((file) => base + file.split(path.sep).map(encodeURIComponent).join('/'));
  const results = [];
  const queue = [...urls];
  const jobs = Math.max(1, Number(args.jobs));
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (queue.length) {
      const url = queue.shift();
      const search = url.endsWith('search/index.html') ? ['alert', 'onerror', 'script', 'javascript', 'svg onload', 'img src', 'iframe', '"><', '{{', 'xss'] : [];
      results.push(await checkPage(context, url, { http, search }));
    }
  }));
  return { files, results };
}

function summarise(results, base) {
  const lines = [];
  for (const { url, runs, live } of results.sort((a, b) => a.url.localeCompare(b.url))) {
    const page = decodeURIComponent(url.slice(base.length));
    const seen = new Set();
    for (const run of runs) {
      const key = `${run.kind} ${run.value}`;
      if (!seen.has(key)) lines.push(`RUN  ${page}: ${key}${run.n ? ` <- ${describeNumber(run.n)}` : ''}`);
      seen.add(key);
    }
    for (const item of live) {
      const n = Number((item.html.match(NUMBER) || [])[1]);
      lines.push(`LIVE ${page}: ${item.problem}${Number.isFinite(n) ? ` <- ${describeNumber(n)}` : ` in ${item.html.slice(0, 120)}`}`);
    }
  }
  return lines;
}

async function withHooks() {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(installHooks);
  // Nothing leaves the machine: other hosts are refused (an ordinary external image
  // in the fixture is allowed to fail; a script can only reach it through a sink).
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  return context;
}

function report(name, files, results, lines) {
  const runs = lines.filter((l) => l.startsWith('RUN')).length;
  const live = lines.filter((l) => l.startsWith('LIVE')).length;
  console.log(`# ${name}: ${files.length} pages, ${VECTORS.length} + ${URL_VECTORS.length} vectors in ${FIELDS.length - 1} fields: ${runs} executions, ${live} live markup`);
  for (const line of lines.slice(0, 300)) console.log(`#   ${line}`);
  if (lines.length > 300) console.log(`#   ... and ${lines.length - 300} more`);
  // The same by field: which vectors ran (or were left live) where.
  const byField = new Map();
  for (const { runs: pageRuns, live: pageLive } of results) {
    const numbers = [...pageRuns.map((r) => r.n), ...pageLive.map((l) => Number((l.html.match(NUMBER) || [])[1]))];
    for (const n of numbers.filter((n) => Number.isFinite(n) && n)) {
      const field = FIELDS[Math.floor(n / 1000)] || `field ${Math.floor(n / 1000)}`;
      if (!byField.has(field)) byField.set(field, new Set());
      byField.get(field).add(n % 1000);
    }
  }
  for (const [field, vectors] of [...byField].sort()) {
    console.log(`# ${name} by field: ${field}: ${vectors.size} vectors (${[...vectors].sort((a, b) => a - b).join(' ')})`);
  }
}

test('the corpus is complete', () => {
  assert.ok(VECTORS.length >= 160, `${VECTORS.length} vectors`);
  const files = Object.keys(siteFiles({ fileNames: true }));
  for (const kind of ['pages', 'diagrams', 'plans', 'runbooks', 'audits', 'names']) {
    assert.ok(files.some((f) => f.startsWith(`content/${kind}/`)), `no ${kind} in the fixture`);
  }
  for (const input of ['opsbook.toml', '.beads/issues.jsonl']) assert.ok(files.includes(input), `no ${input}`);
  // Every field is written by the generator (a field nobody writes is a typo).
  const text = Object.values(siteFiles({ fileNames: true })).join('\n') + files.join('\n');
  for (let f = 1; f < FIELDS.length; f++) {
    assert.ok(new RegExp(`\\b${f}\\d{3}\\b`).test(text), `field ${f} (${FIELDS[f]}) is written nowhere`);
  }
});

test('the canary is caught from file:// and over HTTP', async () => {
  const context = await withHooks();
  const fileRun = await checkPage(context, pathToFileURL(path.join(canaryDir, 'index.html')).href, { http: false });
  const caught = new Set(fileRun.runs.map((r) => r.n));
  for (let k = 1; k <= 5; k++) assert.ok(caught.has(CANARY * 1000 + k), `file://: canary ${k} ran unseen: ${JSON.stringify(fileRun.runs)}`);
  assert.ok(fileRun.live.length >= 5, `file://: canary markup unseen: ${JSON.stringify(fileRun.live)}`);
  const { server, base } = await startStaticServer(canaryDir, '/');
  servers.push(server);
  const httpRun = await checkPage(context, base, { http: true });
  assert.ok(httpRun.runs.some((r) => r.kind === 'CSP violation'), `HTTP: the CSP stopped nothing: ${JSON.stringify(httpRun.runs)}`);
  assert.ok(!httpRun.runs.some((r) => r.kind !== 'CSP violation'), `HTTP: canary ran through the CSP: ${JSON.stringify(httpRun.runs)}`);
  await context.close();
});

test('no vector runs or stays live, opened from file://', async () => {
  const context = await withHooks();
  const base = pathToFileURL(out + '/').href;
  const { files, results } = await checkSite(context, base, false);
  await context.close();
  const lines = summarise(results, base);
  report('file://', files, results, lines);
  for (const kind of ['pages', 'diagrams', 'plans', 'runbooks', 'audits', 'names', 'search']) {
    assert.ok(files.some((f) => f.startsWith(`${kind}${path.sep}`)), `no ${kind} page was built`);
  }
  assert.ok(files.length >= 60, `only ${files.length} pages were built`);
  assert.deepEqual(lines, [], `${lines.length} problems from file:// (listed above)`);
});

test('no vector runs or stays live, served with _headers', async () => {
  const context = await withHooks();
  const { server, base } = await startStaticServer(out, '/');
  servers.push(server);
  const { files, results } = await checkSite(context, base, true);
  await context.close();
  const lines = summarise(results, base);
  report('HTTP', files, results, lines);
  assert.deepEqual(lines, [], `${lines.length} problems over HTTP (listed above)`);
});
