#!/usr/bin/env node
// flows.mjs — mcred's pages as people use them, in headless Chromium.
//
//   node tests/browser/flows.mjs BASE FIXTURE FLOWS ARTEFACTS
//
// BASE      the running server, e.g. http://127.0.0.1:8080
// FIXTURE   a JSON file with the tokens and ids the flows need (written
//           by tests/integration/test_browser.c; docs/testing.md shows it)
// FLOWS     comma-separated, from: signin, home, leader, coach, learner
// ARTEFACTS a directory for the screenshots, <flow>-<n>-<page>.png
//
// Every page a flow visits is scanned with axe-core (no violation
// allowed) and photographed.  The URLs, element ids and visible texts the
// flows rely on are the pages' contract (docs/testing.md).  Exits 0 when
// every flow passed, 1 when one failed, 2 on a usage error.

import { readFileSync } from 'node:fs';

import {
  Flow,
  FLOW_TIMEOUT_MS,
  FlowError,
  expect,
  follow,
  heading,
  launch,
  signIn,
  signOut,
  submit,
  where,
  withTimeout,
} from './lib.mjs';

const cohortPath = (fx) => `/app/cohorts/${encodeURIComponent(fx.cohort.id)}`;
const learnerPath = (fx, person) => `${cohortPath(fx)}/learners/${encodeURIComponent(person.id)}`;

/** The trimmed text of the one element a selector names; fails when there is none. */
async function textOf(page, selector) {
  const el = page.locator(selector);
  const n = await el.count();
  expect(n === 1, `${where(page)} has ${n} elements ${selector}, want 1`);
  return (await el.innerText()).trim();
}

async function present(page, selector) {
  const n = await page.locator(selector).count();
  expect(n > 0, `${where(page)} (${await heading(page)}) has no ${selector}`);
}

// signin: the form, a wrong key refused in words, a session, and signing out.
async function flowSignin(flow, fx) {
  const page = await flow.person('visitor');
  await flow.visit(page, '/signin');
  expect((await textOf(page, 'h1')) === 'Sign in to mcred', 'the sign-in page has no "Sign in to mcred" heading');
  await flow.check(page, 'signin');

  await page.getByLabel('Sign-in key or invitation code').fill(`mcr_${'A'.repeat(43)}`);
  const refused = await submit(page, page.getByRole('button', { name: 'Sign in' }));
  expect(refused.status() === 401, `a wrong key answered ${refused.status()}, want 401`);
  const alert = await page.getByRole('alert').innerText();
  expect(/not valid/.test(alert), `a wrong key says "${alert}", want it to say the key is not valid`);
  expect((await page.context().cookies()).length === 0, 'a wrong key left a cookie');
  await flow.check(page, 'signin-refused');

  await signIn(flow, page, fx.tokens.leader);
  await present(page, 'header.site form[action="/signout"]');
  await flow.check(page, 'home');

  await signOut(page);
  await flow.check(page, 'signed-out');
  const left = (await page.context().cookies()).filter((c) => c.name === 'mcred_session');
  expect(left.length === 0, 'signing out left the session cookie');

  await page.goto(flow.url('/app'), { waitUntil: 'load' });
  expect(new URL(page.url()).pathname === '/signin', `/app after signing out shows ${where(page)}, not /signin`);
  await flow.check(page, 'app-signed-out');
}

// home: each person's home page lists what they may open.
async function flowHome(flow, fx) {
  const leader = await flow.person('leader');
  await signIn(flow, leader, fx.tokens.leader);
  const link = leader.getByRole('link', { name: fx.cohort.name, exact: true });
  expect((await link.count()) === 1, `the leader's home has no link named "${fx.cohort.name}"`);
  expect((await link.getAttribute('href')) === cohortPath(fx), `the cohort's link goes to ${await link.getAttribute('href')}`);
  await flow.check(leader, 'leader-home');

  const coach = await flow.person('coach');
  await signIn(flow, coach, fx.tokens.coach);
  await present(coach, `a[href="${learnerPath(fx, fx.coach_learner)}/sheet"]`);
  // a name holding <script> is shown as text, never run (a dialog would fail the flow)
  expect(await coach.getByText(fx.script_learner.name).first().isVisible(),
    `the coach's home does not show the name "${fx.script_learner.name}" as text`);
  await flow.check(coach, 'coach-home');

  const learner = await flow.person('learner');
  await signIn(flow, learner, fx.tokens.learner);
  await present(learner, `a[href="${cohortPath(fx)}/me"]`);
  await flow.check(learner, 'learner-home');
}

/** A chart: an inline SVG image with a title, a caption, and the same figures in words. */
async function expectChart(page, id) {
  const fig = page.locator(`figure#${id}`);
  expect((await fig.count()) === 1, `${where(page)} has no <figure id="${id}">`);
  const svg = fig.locator('svg[role="img"]');
  expect((await svg.count()) === 1, `#${id} has no <svg role="img">`);
  expect((await svg.locator('title').count()) >= 1, `#${id}'s svg has no <title>`);
  const caption = (await fig.locator('figcaption').innerText()).trim();
  expect(caption.length > 0, `#${id} has no <figcaption>`);
  const alternative = (await fig.locator('table').count()) + (await fig.locator('p, ul, ol, dl').count());
  expect(alternative > 0, `#${id} has no data table or text beside its chart`);
}

// leader: the cohort's grid and charts, then disaggregated by an attribute.
async function flowLeader(flow, fx) {
  const page = await flow.person('leader');
  await signIn(flow, page, fx.tokens.leader);
  await follow(page, page.getByRole('link', { name: fx.cohort.name, exact: true }));
  expect(where(page) === cohortPath(fx), `the cohort's link led to ${where(page)}`);
  const h1 = await textOf(page, 'h1');
  expect(h1.includes(fx.cohort.name), `the cohort page's heading is "${h1}"`);

  const caption = await textOf(page, 'table#grid > caption');
  expect(caption.startsWith('Learners and standards'), `#grid's caption is "${caption}"`);
  const rows = await page.locator('table#grid tbody tr').count();
  expect(rows >= fx.learners, `#grid has ${rows} rows, want one per learner (${fx.learners})`);
  await present(page, `table#grid a[href="${learnerPath(fx, fx.coach_learner)}"]`);
  await expectChart(page, 'chart-standards');
  await expectChart(page, 'chart-attendance');
  await flow.check(page, 'cohort');

  const form = page.locator('form#disaggregate');
  expect((await form.count()) === 1, 'the cohort page has no form#disaggregate');
  const select = form.getByLabel('Disaggregate by', { exact: true });
  const first = select.locator('option').first();
  expect((await first.getAttribute('value')) === '' && (await first.innerText()).trim() === 'Everyone',
    '#by does not start with the option "Everyone"');
  await select.selectOption(fx.attribute);
  await submit(page, form.getByRole('button', { name: 'Show' }));
  const u = new URL(page.url());
  expect(u.pathname === cohortPath(fx) && u.searchParams.get('by') === fx.attribute,
    `"Show" led to ${where(page)}, want ?by=${fx.attribute}`);
  const byCaption = await textOf(page, 'table#by-group > caption');
  expect(byCaption.toLowerCase().includes(fx.attribute), `#by-group's caption "${byCaption}" does not name ${fx.attribute}`);
  const suppressed = await page.locator('table#by-group td', { hasText: /suppressed/i }).count();
  expect(suppressed > 0, '#by-group shows no suppressed cell, though the fixture has a group too small to show');
  await flow.check(page, 'cohort-by');

  await signOut(page);
  await flow.check(page, 'signed-out');
}

/** The level a radio stands for: the first number in its label. */
async function radioLevel(radio) {
  const text = await radio.evaluate((el) => (el.labels && el.labels[0] ? el.labels[0].textContent : ''));
  const m = /\d+/.exec(text);
  return m ? Number(m[0]) : NaN;
}

/** Choose the highest rubric level in one indicator's fieldset. */
async function chooseHighest(fieldset, n) {
  const radios = fieldset.locator('input[type="radio"]');
  const count = await radios.count();
  expect(count >= 2, `fieldset ${n} of #sheet has ${count} radios, want one per rubric level`);
  let best = null;
  let bestLevel = -Infinity;
  for (let i = 0; i < count; i++) {
    const level = await radioLevel(radios.nth(i));
    expect(!Number.isNaN(level), `radio ${i + 1} of fieldset ${n} has no label showing its level`);
    if (level > bestLevel) [best, bestLevel] = [radios.nth(i), level];
  }
  await best.check();
}

// coach: the whole scoring sheet at the highest level; the learner's status moves.
async function flowCoach(flow, fx) {
  const page = await flow.person('coach');
  await signIn(flow, page, fx.tokens.coach);
  await flow.check(page, 'home');
  const learner = learnerPath(fx, fx.coach_learner);
  await flow.visit(page, learner);
  const name = await textOf(page, 'h1');
  expect(name.includes(fx.coach_learner.name), `the learner page's heading is "${name}"`);
  const before = await textOf(page, '#status');
  await present(page, '#missing');
  await present(page, '#history');
  await flow.check(page, 'learner');

  await follow(page, page.getByRole('link', { name: 'Scoring sheet', exact: true }));
  expect(where(page) === `${learner}/sheet`, `"Scoring sheet" led to ${where(page)}`);
  const sheet = page.locator('form#sheet');
  expect((await sheet.count()) === 1, 'the scoring sheet has no form#sheet');
  const fieldsets = sheet.locator('fieldset');
  const n = await fieldsets.count();
  expect(n === fx.indicators, `#sheet has ${n} fieldsets, want one per indicator (${fx.indicators})`);
  await flow.check(page, 'sheet');
  for (let i = 0; i < n; i++) {
    const fieldset = fieldsets.nth(i);
    await chooseHighest(fieldset, i + 1);
    await fieldset.getByLabel('Feedback').fill(`Clear evidence for indicator ${i + 1}.`);
  }
  const saved = await submit(page, sheet.getByRole('button', { name: 'Save scores' }));
  expect(saved.status() === 200, `"Save scores" ended on a ${saved.status()} page: ${await heading(page)}`);
  expect(where(page).startsWith(`${learner}/sheet`), `"Save scores" led to ${where(page)}, not back to the sheet`);
  expect(await page.getByText('Saved').first().isVisible(), 'the sheet does not say "Saved" after saving');
  await flow.check(page, 'sheet-saved');

  await flow.visit(page, learner);
  const after = await textOf(page, '#status');
  expect(after !== before, `the learner's status still reads "${after}" after the whole sheet was scored at the top level`);
  await flow.check(page, 'learner-after');

  // the problem-of-practice review page: the learner's problem, approved in the fixture
  await flow.visit(page, `${learner}/problem`);
  const state = await textOf(page, 'main');
  expect(/approved/i.test(state), 'the problem page does not show the approved problem');
  await flow.check(page, 'problem');
}

/** Fill a form's field found by the start of its label. */
async function fillField(form, label, value) {
  const field = form.getByLabel(new RegExp(`^\\s*${label}`, 'i'));
  const n = await field.count();
  expect(n === 1, `the form has ${n} fields labelled "${label}…", want 1`);
  await field.fill(value);
}

// learner: their own page; a problem of practice submitted; evidence added.
async function flowLearner(flow, fx) {
  const page = await flow.person('learner');
  await signIn(flow, page, fx.tokens.learner);
  await flow.check(page, 'home');
  const me = `${cohortPath(fx)}/me`;
  await follow(page, page.locator(`a[href="${me}"]`).first());
  expect(where(page) === me, `the home page's link led to ${where(page)}`);
  expect((await textOf(page, 'h1')).length > 0, 'the learner\'s page has an empty heading');
  for (const id of ['#status', '#met', '#missing', '#scores']) await present(page, id);
  await flow.check(page, 'me');

  const problem = page.locator('form#problem');
  expect((await problem.count()) === 1, 'the learner\'s page has no form#problem');
  const action = await problem.getAttribute('action');
  expect(action === `${me}/problem` || /^\/app\/problems\/[^/]+$/.test(action || ''),
    `form#problem posts to ${action}`);
  const texts = {
    Title: 'Chronic absence in grade 9',
    Statement: 'One in four ninth graders misses more than ten days a year.',
    'Student focus': 'Ninth graders, multilingual learners first',
    'Data sources': 'Attendance records; student survey',
    'Root cause': 'No adult checks in after a first absence.',
    Strategy: 'Advisory teachers call home after each first absence.',
  };
  for (const [label, value] of Object.entries(texts)) await fillField(problem, label, value);
  await submit(page, problem.getByRole('button', { name: 'Submit problem of practice' }));
  expect(new URL(page.url()).pathname === me, `submitting the problem led to ${where(page)}, not ${me}`);
  expect(await page.getByText(/submitted/i).first().isVisible(), 'the page does not say the problem was submitted');
  await flow.check(page, 'me-submitted');

  const evidence = page.locator('form#evidence');
  expect((await evidence.count()) === 1, 'the learner\'s page has no form#evidence');
  await fillField(evidence, 'Title', 'Attendance dashboard');
  await fillField(evidence, 'Link', 'https://example.org/attendance');
  const added = await submit(page, evidence.getByRole('button', { name: 'Add evidence' }));
  expect(added.status() < 400, `"Add evidence" ended on a ${added.status()} page: ${await heading(page)}`);
  expect(new URL(page.url()).pathname === me, `adding evidence led to ${where(page)}, not ${me}`);
  await flow.check(page, 'me-evidence');
}

const FLOWS = {
  signin: flowSignin,
  home: flowHome,
  leader: flowLeader,
  coach: flowCoach,
  learner: flowLearner,
};

function usage(message) {
  console.error(`flows.mjs: ${message}`);
  console.error('usage: node tests/browser/flows.mjs BASE FIXTURE FLOWS ARTEFACTS');
  console.error(`  FLOWS: comma-separated, from ${Object.keys(FLOWS).join(', ')}`);
  process.exit(2);
}

async function main() {
  const [base, fixtureFile, list, artefacts] = process.argv.slice(2);
  if (!base || !fixtureFile || !list || !artefacts) usage('four arguments are needed');
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!FLOWS[n]) usage(`no flow named "${n}"`);
  let fixture;
  try {
    fixture = JSON.parse(readFileSync(fixtureFile, 'utf8'));
  } catch (e) {
    usage(`could not read the fixture ${fixtureFile}: ${e.message}`);
  }

  const browser = await launch();
  let failed = 0;
  try {
    for (const name of names) {
      const flow = new Flow(browser, base, name, artefacts);
      const started = Date.now();
      try {
        await withTimeout(FLOW_TIMEOUT_MS, `flow ${name}`, () => FLOWS[name](flow, fixture));
        console.log(`ok      ${name} (${flow.step} pages, ${Date.now() - started} ms)`);
      } catch (e) {
        failed += 1;
        const message = e instanceof FlowError ? e.message : e.stack || String(e);
        console.log(`FAILED  ${name} after ${flow.step} pages: ${message}`);
      } finally {
        await flow.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${names.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`flows.mjs: ${e.stack || e}`);
  process.exit(1);
});
