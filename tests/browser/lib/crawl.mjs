// Visits every page of a built site reachable from its home page, in one browser page,
// and reports what is broken: failed requests, error responses, console errors, CSP
// violations, and links (with their #anchors) that lead nowhere.
//
// Links are split in two. Links opsbook makes (navigation, tables of contents, cards,
// lists, cross references) must always resolve. Links an author wrote in the markdown
// (inside `.prose` or the plan's `.overview`) are the link checker's business (`opsbook
// check` reports them with their source line), so with `authoredLinks: 'report'` they are
// listed but do not fail; with 'strict' they must resolve too.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { watchPage } from './browser.mjs';

const AUTHORED = '.prose, .overview';

export async function crawlSite(context, base, { authoredLinks = 'strict' } = {}) {
  const page = await context.newPage();
  const watcher = await watchPage(page);
  const start = base.startsWith('file:') ? new URL('index.html', base).href : base;
  const queue = [start];
  const seen = new Set(queue);
  const ids = new Map(); // page URL -> Set of ids
  const links = []; // { from, href, target, hash, authored }
  const pages = [];
  const csp = [];
  while (queue.length) {
    const url = queue.shift();
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response && response.status() >= 400) continue; // already recorded by the watcher
    pages.push(url);
    const found = await page.evaluate((authoredSelector) => ({
      ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name')),
      links: [...document.querySelectorAll('a[href]')].map((a) => ({
        href: a.getAttribute('href'),
        // SVG <a> elements (diagrams) have an SVGAnimatedString `href`; resolve the
        // attribute against the page instead.
        resolved: new URL(a.getAttribute('href'), document.baseURI).href,
        authored: !!a.closest(authoredSelector),
      })),
    }), AUTHORED);
    csp.push(...(await watcher.cspViolations()).map((v) => `${url}: ${v}`));
    ids.set(url, new Set(found.ids));
    for (const link of found.links) {
      const target = new URL(link.resolved);
      if (!['http:', 'https:', 'file:'].includes(target.protocol)) continue;
      const hash = decodeURIComponent(target.hash.slice(1));
      target.hash = '';
      const sameSite = target.href.startsWith(base) || (base.startsWith('file:') && target.protocol === 'file:');
      const external = target.protocol !== 'file:' && target.origin !== new URL(base).origin;
      if (external) continue;
      links.push({ from: url, href: link.href, target: target.href, hash, authored: link.authored, sameSite });
      if (sameSite && target.href.endsWith('.html') && !seen.has(target.href)) {
        seen.add(target.href);
        queue.push(target.href);
      }
    }
  }
  const broken = [];
  for (const link of links) {
    const problem = await linkProblem(page, link, ids);
    if (problem) broken.push({ ...link, problem });
  }
  await page.close();
  const failing = broken.filter((l) => !l.authored || authoredLinks === 'strict');
  const reported = broken.filter((l) => l.authored && authoredLinks !== 'strict');
  return { pages, problems: watcher.problems, csp, failing, reported };
}

async function linkProblem(page, link, ids) {
  if (!link.sameSite) return 'leaves the site (not page-relative)';
  const exists = await targetExists(page, link.target, ids);
  if (!exists) return 'target missing';
  if (link.hash && ids.has(link.target) && !ids.get(link.target).has(link.hash)) {
    return `no element with id "${link.hash}"`;
  }
  return null;
}

async function targetExists(page, target, ids) {
  if (ids.has(target)) return true;
  if (target.startsWith('file:')) {
    const file = fileURLToPath(target);
    return fs.existsSync(file) && fs.statSync(file).isFile();
  }
  const response = await page.request.get(target, { maxRedirects: 0 });
  return response.status() === 200;
}

export function describe(link) {
  return `${link.from}: "${link.href}" ${link.problem}`;
}
