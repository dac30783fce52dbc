// Launches the system Chromium through playwright-core (no browser download).
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

// Records what a page did wrong: failed requests, error responses, console errors,
// uncaught exceptions and Content-Security-Policy violations.
export async function watchPage(page, ignore = () => false) {
  const problems = [];
  const add = (kind, detail) => { if (!ignore(kind, detail)) problems.push(`${kind}: ${detail}`); };
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
    });
  });
  // ERR_ABORTED is the browser cancelling a request because the crawl moved on to the
  // next page (a favicon still loading, say), not a resource that failed to load.
  page.on('requestfailed', (r) => {
    const reason = r.failure()?.errorText;
    if (reason !== 'net::ERR_ABORTED') add('failed request', `${r.url()} (${reason})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) add(`HTTP ${r.status()}`, r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') add('console error', m.text()); });
  page.on('pageerror', (e) => add('page error', e.message));
  return {
    problems,
    async cspViolations() {
      return page.evaluate(() => window.__cspViolations || []).catch(() => []);
    },
  };
}
