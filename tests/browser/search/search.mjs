// Headless Chromium checks of search: builds tests/fixtures/search/incident_site, then
// types queries into the search box from file:// and from an HTTP server that sends a
// strict Content-Security-Policy under a sub-path, and checks the ranking, the links,
// the keyboard, the no-script list, and that the console stays clean. Screenshots go to
// $SCREENSHOTS (default: a temp folder) at 1280 and 390 px, light and dark.
//
//   cd tests/browser/search && npm ci && OPSBOOK_BIN=../../../target/release/opsbook node search.mjs
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, extname, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const bin = process.env.OPSBOOK_BIN || join(repo, "target/release/opsbook");
const shots = process.env.SCREENSHOTS || mkdtempSync(join(tmpdir(), "opsbook-search-shots-"));
const out = mkdtempSync(join(tmpdir(), "opsbook-search-site-"));
const site = join(repo, "tests/fixtures/search/incident_site");
execFileSync(bin, ["build", "--root", site, "--out", join(out, "public")], { stdio: "inherit" });
const publicDir = join(out, "public");

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const PREFIX = "/pr-preview/pr-12/";
const TYPES = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml" };

function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(PREFIX)) { res.writeHead(404); res.end(); return; }
    let file = join(publicDir, path.slice(PREFIX.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream", "content-security-policy": CSP });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

let failures = 0;
function check(name, condition, detail = "") {
  console.log(`  ${condition ? "ok  " : "FAIL"}  ${name}${condition ? "" : " " + detail}`);
  if (!condition) failures++;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function openPage(options, url) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  // The browser asks for /favicon.ico on its own; the site has none, which is not a
  // search problem, so that one 404 (and its console line) is left out.
  page.on("console", (m) => {
    const favicon = (m.location().url || "").endsWith("/favicon.ico");
    if ((m.type() === "error" || m.type() === "warning") && !favicon) problems.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(url);
  return { context, page, problems };
}

async function typeQuery(page, selector, query) {
  await page.click(selector);
  await page.fill(selector, "");
  await page.type(selector, query, { delay: 20 });
  await page.waitForFunction((q) => {
    const status = document.querySelector("[data-search-results]:not([hidden]) .search-status");
    return status && status.textContent.includes(q);
  }, query);
}

const titles = (page) => page.$$eval("[data-search-results]:not([hidden]) .search-result-title", (els) => els.map((e) => e.textContent));

async function scenario(label, base, options) {
  console.log(`== ${label}`);
  const deep = base + "runbooks/network/dns/resolve-failures/index.html";
  const { context, page, problems } = await openPage(options, deep);
  const box = "#site-search-input";

  await typeQuery(page, box, "too many clients");
  let found = await titles(page);
  check("error message finds its runbook first", found[0] === "Postgres connection storm", JSON.stringify(found));
  const marks = await page.$$eval(".search-popup mark", (els) => els.map((e) => e.textContent.toLowerCase()));
  check("the matching words are highlighted", marks.includes("too") && marks.includes("clients"), JSON.stringify(marks));
  const snippetIsCode = await page.$eval(".search-popup .search-result-snippet", (e) => e.tagName === "CODE");
  check("a code hit shows the code line", snippetIsCode);
  await page.screenshot({ path: join(shots, `${label}-error-message.png`) });

  await typeQuery(page, box, "NodeDiskPressure");
  found = await titles(page);
  check("alert name (tag) finds its runbook", found[0] === "Node disk full", JSON.stringify(found));

  await typeQuery(page, box, "postgres");
  found = await titles(page);
  check("title hit ranks above body hit", found[0] === "Postgres connection storm" && found.includes("About this handbook"), JSON.stringify(found));

  await typeQuery(page, box, "rollout restart pgbouncer");
  found = await titles(page);
  check("a command finds its runbook", found[0] === "Postgres connection storm", JSON.stringify(found));

  // Keyboard: ArrowDown to the first result, Enter follows it, from a page three folders deep.
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement.className);
  check("ArrowDown moves to the first result", focused.includes("search-result-link"), focused);
  await page.keyboard.press("Enter");
  const opened = await page.waitForURL(/runbooks\/postgres-connections\/index\.html/, { timeout: 5000 }).then(() => true, () => false);
  check("Enter opens the result", opened, page.url());

  await typeQuery(page, box, "zzzz nothing");
  const status = await page.textContent(".search-popup .search-status");
  check("no match says so", status.startsWith("No page matches"), status);
  await page.keyboard.press("Escape");
  check("Escape closes the results", await page.$eval(".search-popup", (e) => e.hidden));

  await page.goto(base + "search/index.html?q=SERVFAIL");
  await page.waitForSelector(".search-page-form .search-result");
  found = await titles(page);
  check("search page runs the query from ?q=", found[0] === "DNS resolution failures", JSON.stringify(found));
  await page.screenshot({ path: join(shots, `${label}-search-page.png`), fullPage: true });
  check("no console error, failed request or CSP violation", problems.length === 0, JSON.stringify(problems));
  await context.close();
}

const fileBase = pathToFileURL(publicDir).href + "/";
await scenario("file-1280", fileBase, { viewport: { width: 1280, height: 800 } });
const server = await serve();
const httpBase = `http://127.0.0.1:${server.address().port}${PREFIX}`;
await scenario("http-subpath-csp-1280", httpBase, { viewport: { width: 1280, height: 800 } });
await scenario("phone-390", fileBase, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true });
await scenario("dark-1280", fileBase, { viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
await scenario("dark-390", httpBase, { viewport: { width: 390, height: 844 }, colorScheme: "dark", isMobile: true });

console.log("== without JavaScript");
{
  const { context, page, problems } = await openPage(
    { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false }, fileBase + "search/index.html");
  const links = await page.$$eval(".search-all a", (els) => els.map((e) => e.textContent));
  check("the search page lists every page", links.length === 4, JSON.stringify(links));
  check("the no-script note is shown", (await page.textContent("main")).includes("needs JavaScript"));
  await page.screenshot({ path: join(shots, "nojs-search-page.png"), fullPage: true });
  await page.goto(fileBase + "index.html");
  await page.fill("#site-search-input", "disk");
  await page.press("#site-search-input", "Enter");
  const opened = await page.waitForURL(/search\/index\.html\?q=disk/, { timeout: 5000 }).then(() => true, () => false);
  check("the header box opens the search page", opened, page.url());
  check("no console error", problems.length === 0, JSON.stringify(problems));
  await context.close();
}

server.close();
await browser.close();
console.log(`screenshots in ${shots}`);
if (failures) {
  console.log(`search browser checks: ${failures} failed`);
  process.exit(1);
}
console.log("search browser checks: all passed");
