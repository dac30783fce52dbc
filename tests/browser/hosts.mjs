// One build, every host: builds a site once with the given opsbook binary, then checks
// it in headless Chromium served at the host root, under /pr-preview/pr-12/ (both with
// the site's `_headers` applied, so the CSP is enforced) and opened from file://.
// Each host: no failed request, no error response, no console error, no CSP violation,
// no broken link that opsbook made. At the root host the 404 page is checked too.
//
//   node hosts.mjs --bin target/release/opsbook --site content/.. [--authored-links report]
//   [--screenshots DIR]
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launch, watchPage } from './lib/browser.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { crawlSite, describe } from './lib/crawl.mjs';

const { values: args } = parseArgs({
  options: {
    bin: { type: 'string' },
    site: { type: 'string' },
    'authored-links': { type: 'string', default: 'strict' },
    screenshots: { type: 'string' },
  },
});
if (!args.bin || !args.site) {
  console.error('usage: node hosts.mjs --bin OPSBOOK --site SITE_ROOT [--authored-links strict|report] [--screenshots DIR]');
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opsbook-hosts-'));
const out = path.join(work, 'public');
let browser;
const servers = [];

before(async () => {
  execFileSync(path.resolve(args.bin), ['build', '--root', path.resolve(args.site), '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function checkHost(name, base) {
  const context = await browser.newContext();
  const result = await crawlSite(context, base, { authoredLinks: args['authored-links'] });
  await context.close();
  console.log(`# ${name}: ${result.pages.length} pages, ${result.failing.length} broken generated links, ${result.reported.length} broken authored links (reported)`);
  for (const link of result.reported) console.log(`#   authored: ${describe(link)}`);
  assert.ok(result.pages.length > 1, `${name}: crawled only ${result.pages.length} page(s)`);
  assert.deepEqual(result.problems, [], `${name}: page problems`);
  assert.deepEqual(result.csp, [], `${name}: CSP violations`);
  assert.deepEqual(result.failing.map(describe), [], `${name}: broken links`);
}

test('served at the host root', async () => {
  const { server, base } = await startStaticServer(out, '/');
  servers.push(server);
  await checkHost('root', base);
});

test('served under a sub-path', async () => {
  const { server, base } = await startStaticServer(out, '/pr-preview/pr-12/');
  servers.push(server);
  await checkHost('sub-path', base);
});

test('opened from file://', async () => {
  await checkHost('file', pathToFileURL(out + '/').href);
});

test('unknown paths at any depth get the styled 404 page with working links', async () => {
  const { server, base } = await startStaticServer(out, '/');
  servers.push(server);
  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    // The 404 response itself is expected; anything else is a problem.
    const watcher = await watchPage(page, (kind, detail) => (kind === 'HTTP 404' && detail.includes('/no/such/'))
      || (kind === 'console error' && /status of 404/.test(detail) && !/style|\.css|\.svg/.test(detail)));
    const response = await page.goto(new URL('no/such/page/', base).href);
    assert.equal(response.status(), 404);
    assert.match(await page.textContent('h1'), /Page not found/);
    const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.ok(styled && !/^"?Times/.test(styled), `404 page is unstyled (${styled})`);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const href of hrefs) {
      const target = new URL(href);
      target.hash = '';
      if (target.href === page.url().split('#')[0]) continue; // the skip link
      const status = (await page.request.get(target.href)).status();
      assert.equal(status, 200, `404 page links to ${href} (${status})`);
    }
    assert.deepEqual(watcher.problems, []);
    assert.deepEqual(await watcher.cspViolations(), []);
    if (args.screenshots) {
      fs.mkdirSync(args.screenshots, { recursive: true });
      await page.screenshot({ path: path.join(args.screenshots, `404-${label}.png`), fullPage: true });
    }
    await context.close();
  }
});
