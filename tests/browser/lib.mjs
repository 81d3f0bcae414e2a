// lib.mjs — what every browser flow needs: Debian's headless Chromium
// driven by playwright-core (no browser download: executablePath), one
// browser context per person, signing in through the real /signin form,
// an axe-core scan and a screenshot of every page a flow visits, and
// guards that fail a flow on anything a page must never do (a request
// that leaves 127.0.0.1, a script error, a Content-Security-Policy
// violation).
//
// The pages keep their strict CSP during the tests: axe-core is not
// added as a <script> (which the CSP would rightly refuse) but evaluated
// through the DevTools protocol, which a page's CSP does not govern.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.MCRED_CHROMIUM || '/usr/bin/chromium';

// Bounds: no single wait may hang a flow, and no flow may run on.
export const STEP_TIMEOUT_MS = 30_000;
export const NAVIGATION_TIMEOUT_MS = 30_000;
export const FLOW_TIMEOUT_MS = 90_000;

export class FlowError extends Error {}

/** Fail the flow with a message (no stack: the message says it all). */
export function fail(message) {
  throw new FlowError(message);
}

export function expect(condition, message) {
  if (!condition) fail(message);
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    // a test host need not have a GPU or a writable shared-memory mount
    args: ['--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** Only the server under test may be reached: pages load nothing from elsewhere. */
function loopback(url) {
  if (url.startsWith('data:') || url === 'about:blank') return true;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * One flow: its name, where its artefacts go, the numbered pages it has
 * visited, and what went wrong in the browser behind its back.
 */
export class Flow {
  constructor(browser, base, name, artefacts) {
    this.browser = browser;
    this.base = base.replace(/\/+$/, '');
    this.name = name;
    this.artefacts = artefacts;
    this.step = 0;
    this.problems = [];
    this.contexts = [];
    mkdirSync(artefacts, { recursive: true });
  }

  url(path) {
    return this.base + path;
  }

  /** A fresh browser context (its own cookies) and page, for one person. */
  async person(label) {
    const context = await this.browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (loopback(url)) return route.continue();
      this.problems.push(`${label}: the page asked for ${url}, which is not on 127.0.0.1`);
      return route.abort('blockedbyclient');
    });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => this.problems.push(`${label}: script error on ${page.url()}: ${e.message}`));
    // a dialog can only come from a script: an escaping failure, e.g. a name holding <script>
    page.on('dialog', (d) => {
      this.problems.push(`${label}: ${page.url()} opened a ${d.type()} dialog: "${d.message()}"`);
      d.dismiss().catch(() => {});
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
        this.problems.push(`${label}: ${page.url()}: ${msg.text()}`);
    });
    return page;
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
    this.contexts = [];
  }

  /** Go to a path of the server; the answer's status must be `status`. */
  async visit(page, path, status = 200) {
    const response = await page.goto(this.url(path), { waitUntil: 'load' });
    expect(response, `GET ${path}: no response`);
    expect(
      response.status() === status,
      `GET ${path} answered ${response.status()}, want ${status} (page: ${await heading(page)})`,
    );
    return response;
  }

  /**
   * The page as it is now: an axe-core scan that must find no violation,
   * and a screenshot <flow>-<n>-<label>.png in the artefacts directory.
   */
  async check(page, label) {
    this.step += 1;
    const file = join(this.artefacts, `${this.name}-${this.step}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const violations = await axeScan(page);
    if (violations.length > 0)
      fail(`axe-core found ${violations.length} violation(s) on ${page.url()} (screenshot ${file}):\n` +
        describeViolations(violations));
    if (this.problems.length > 0) fail(this.problems.join('\n'));
  }
}

/** The page's <h1>, to say where a flow was when it failed. */
export async function heading(page) {
  const h1 = page.locator('h1').first();
  return (await h1.count()) > 0 ? `"${(await h1.innerText()).trim()}"` : '(no h1)';
}

/** axe-core's violations on the current page, every rule it runs by default. */
export async function axeScan(page) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return axe.run(document, { resultTypes: ['violations'] });
  });
  // a scan that checked nothing (axe not loaded, an empty page) must not pass for a clean one
  expect(results.passes.length > 0, `axe-core checked nothing on ${page.url()}`);
  return results.violations;
}

/** Violations as a person reads them: the rule, why, and each element with its fix. */
export function describeViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`    at ${node.target.join(' ')}`);
      lines.push(`      ${node.html.slice(0, 200)}`);
      for (const l of (node.failureSummary || '').split('\n')) lines.push(`      ${l.trim()}`);
    }
    if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more`);
  }
  return lines.join('\n');
}

/** A path and query of the page's URL, e.g. "/app" or "/signin?signed_out=1". */
export function where(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/**
 * Sign in through the /signin form with a token; the browser must land on
 * /app.  The sign-in page is checked (axe, screenshot) on the way.
 */
export async function signIn(flow, page, token) {
  await flow.visit(page, '/signin');
  await flow.check(page, 'signin');
  await page.getByLabel('Sign-in key or invitation code').fill(token);
  await submit(page, page.getByRole('button', { name: 'Sign in' }));
  if (new URL(page.url()).pathname !== '/app') {
    const alert = page.getByRole('alert');
    const why = (await alert.count()) > 0 ? (await alert.first().innerText()).trim() : await heading(page);
    fail(`signing in did not reach /app but ${where(page)}: ${why}`);
  }
}

/** Press the "Sign out" button; the browser must land on the sign-in page. */
export async function signOut(page) {
  await submit(page, page.getByRole('button', { name: 'Sign out' }));
  expect(new URL(page.url()).pathname === '/signin', `signing out led to ${where(page)}, not /signin`);
  expect(await page.getByText('You have signed out.').isVisible(), `after signing out, ${where(page)} does not say "You have signed out."`);
}

/**
 * Press a form's button and wait for the page the answer leads to (after
 * any redirect); returns that page's response.
 */
export async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  expect(response, `pressing the button on ${where(page)} loaded no page`);
  return response;
}

/** Follow a link; the page it leads to must answer 200. */
export async function follow(page, link) {
  const from = where(page);
  const response = await submit(page, link);
  expect(response.status() === 200,
    `the link on ${from} led to ${where(page)}, which answered ${response.status()} (page: ${await heading(page)})`);
  return response;
}

/** Run fn, failing it when it takes longer than ms. */
export async function withTimeout(ms, what, fn) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new FlowError(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  const work = fn();
  // past the limit the flow's own failure (its browser closed under it) no longer matters
  work.catch(() => {});
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
