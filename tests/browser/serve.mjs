// `opsbook serve` in headless Chromium: a page changes after its file is edited, without
// a manual reload; a broken file shows the overlay with the diagnostics over the last
// good page (also on a page opened while the build is broken); fixing it brings the page
// back. No console error and no CSP violation throughout (serve sends the site's CSP).
//
//   node serve.mjs --bin target/release/opsbook --site content/.. [--screenshots DIR]
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { launch, watchPage } from './lib/browser.mjs';

const { values: args } = parseArgs({
  options: { bin: { type: 'string' }, site: { type: 'string' }, screenshots: { type: 'string' } },
});
if (!args.bin || !args.site) {
  console.error('usage: node serve.mjs --bin OPSBOOK --site SITE_ROOT [--screenshots DIR]');
  process.exit(2);
}

const PAGE = 'content/serve-check.md';
const URL_PATH = 'serve-check/index.html';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opsbook-serve-'));
const site = path.join(work, 'site');
let server;
let browser;
let base;

function write(relative, text) {
  fs.writeFileSync(path.join(site, relative), text);
}

function startServe() {
  return new Promise((resolve, reject) => {
    server = spawn(path.resolve(args.bin), ['serve', '--port', '0', '--root', site], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 60000);
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const match = log.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) { clearTimeout(timer); resolve(`http://127.0.0.1:${match[1]}/`); }
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
  });
}

before(async () => {
  fs.cpSync(path.resolve(args.site), site, {
    recursive: true,
    filter: (src) => !/[/\\](public|target|node_modules|\.git)$/.test(src),
  });
  write(PAGE, '# Serve check\n\nFirst version.\n');
  base = await startServe();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  fs.rmSync(work, { recursive: true, force: true });
});

// Reloads and the event stream they cut short are expected; anything else is not.
const expected = (kind, detail) => kind === 'failed request' && detail.includes('/__opsbook/events');

async function shoot(page, name) {
  if (!args.screenshots) return;
  fs.mkdirSync(args.screenshots, { recursive: true });
  await page.screenshot({ path: path.join(args.screenshots, name), fullPage: false });
}

test('edits reload the page, failures show the overlay, fixes bring the page back', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const watcher = await watchPage(page, expected);
  await page.goto(base + URL_PATH);
  assert.match(await page.textContent('main'), /First version\./);
  assert.equal(await page.locator('script[src="/__opsbook/reload.js"]').count(), 1);
  // Wait until the page listens, so the edit cannot slip in before it.
  await page.waitForSelector('html[data-opsbook-serve="listening"]', { state: 'attached' });

  write(PAGE, '# Serve check\n\nSecond version, edited.\n');
  await page.waitForFunction(() => document.body.textContent.includes('Second version, edited.'), null, { timeout: 20000 });

  write(PAGE, '---\ntitle: [unclosed\n---\n# Serve check\n\nThird version, broken.\n');
  const overlay = page.locator('.opsbook-overlay');
  await overlay.waitFor({ state: 'visible', timeout: 20000 });
  const text = await overlay.textContent();
  assert.match(text, /The rebuild failed/);
  assert.match(text, /content\/serve-check\.md:2:\d+: error\[OPS101\]/);
  assert.match(await page.textContent('main'), /Second version, edited\./, 'the last good page stays');
  await page.waitForTimeout(300); // let the overlay's stylesheet apply
  await shoot(page, 'overlay-desktop.png');

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  const phoneWatcher = await watchPage(phonePage, expected);
  await phonePage.goto(base + URL_PATH);
  await phonePage.locator('.opsbook-overlay').waitFor({ state: 'visible', timeout: 20000 });
  await phonePage.waitForTimeout(300);
  await shoot(phonePage, 'overlay-phone.png');

  write(PAGE, '# Serve check\n\nFourth version, fixed.\n');
  await page.waitForFunction(() => document.body.textContent.includes('Fourth version, fixed.'), null, { timeout: 20000 });
  assert.equal(await overlay.count(), 0);
  await phonePage.waitForFunction(() => document.body.textContent.includes('Fourth version, fixed.'), null, { timeout: 20000 });

  assert.deepEqual(watcher.problems, []);
  assert.deepEqual(await watcher.cspViolations(), []);
  assert.deepEqual(phoneWatcher.problems, []);
  assert.deepEqual(await phoneWatcher.cspViolations(), []);
  await phone.close();
  await context.close();
});

test('an editor temp file does not trigger a rebuild', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + URL_PATH);
  const generation = await page.getAttribute('script[src="/__opsbook/reload.js"]', 'data-generation');
  write('content/.serve-check.md.swp', 'swap');
  write('content/serve-check.md~', 'backup');
  await page.waitForTimeout(1500);
  await page.goto(base + URL_PATH);
  assert.equal(await page.getAttribute('script[src="/__opsbook/reload.js"]', 'data-generation'), generation);
  await context.close();
});
