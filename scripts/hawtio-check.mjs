#!/usr/bin/env node
// Opens Hawtio's Camel pages of a running Soukosync in headless Chromium (Debian's, never a
// downloaded one) and reports what an operator would see: console errors, diagram nodes drawn,
// whether the Source tab's editor loads, and what the Camel dev console answers for the route
// sources. It starts nothing: the service must run with MANAGEMENT_USER and MANAGEMENT_PASSWORD.
// Every request to another host than the service is blocked, as behind a firewall.
// Not part of ./mvnw verify (CI has no Chromium).
//
//   cd scripts && npm ci && \
//   HAWTIO_USER=ops HAWTIO_PASSWORD=... node hawtio-check.mjs http://localhost:5000 /tmp/hawtio-shots [route-id]
//
// Exit code: 0 when every check passed, 1 when one failed, 2 on bad usage or a browser problem.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, outDir, routeId = 'sync-run'] = process.argv.slice(2);
const user = process.env.HAWTIO_USER;
const password = process.env.HAWTIO_PASSWORD;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!base || !outDir || !user || !password) {
  console.error('usage: HAWTIO_USER=... HAWTIO_PASSWORD=... node hawtio-check.mjs <service base URL> <screenshot folder> [route id]');
  process.exit(2);
}
const service = new URL(base);
const root = service.href.endsWith('/') ? service.href : service.href + '/';
const hawtio = root + 'actuator/hawtio/';
await mkdir(outDir, { recursive: true });

let browser;
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
} catch (e) {
  console.error(`cannot start ${executablePath} (apt-get install -y chromium, or set CHROMIUM): ${e.message.split('\n')[0]}`);
  process.exit(2);
}
const results = [];

// each page in a fresh browser context: Hawtio keeps one diagram layout graph per page load,
// so a diagram that fails would also break every diagram opened after it in the same page
async function check(name, open) {
  const context = await browser.newContext({
    httpCredentials: { username: user, password },
    viewport: { width: 1400, height: 900 },
  });
  const blocked = new Set();
  await context.route('**/*', route => {
    const url = new URL(route.request().url());
    if (url.host === service.host || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    blocked.add(url.origin + url.pathname);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  page.on('pageerror', e => errors.push('page: ' + (e.message || String(e))));
  let verdict;
  try {
    await page.goto(hawtio + 'camel', { waitUntil: 'networkidle' });
    await page.getByText('soukosync', { exact: true }).first().waitFor({ timeout: 30000 });
    verdict = await open(page);
  } catch (e) {
    verdict = { ok: false, detail: 'could not open: ' + e.message.split('\n')[0] };
  }
  let shot = join(outDir, name + '.png');
  await page.screenshot({ path: shot }).catch(e => { shot = 'no screenshot: ' + e.message.split('\n')[0]; });
  await context.close();
  results.push({ name, ...verdict, shot, errors: [...new Set(errors)], blocked: [...blocked] });
}

async function tab(page, label) {
  await page.getByRole('link', { name: label, exact: true }).click();
}

async function diagram(page) {
  await tab(page, 'Route Diagram');
  // the diagram is laid out once the route XML arrived; nodes appear or an error was thrown
  await page.locator('.react-flow__node').first().waitFor({ timeout: 15000 }).catch(() => {});
  const nodes = await page.locator('.react-flow__node').count();
  return { ok: nodes > 0, detail: `${nodes} diagram nodes drawn` };
}

await check('1-routes-list', async page => {
  await page.getByText('routes', { exact: true }).first().click();
  await tab(page, 'Routes');
  // Hawtio reads the route MBeans one by one: 25 routes take about 10 s
  const started = Date.now();
  await page.locator('table tbody tr').first().waitFor({ timeout: 60000 });
  const rows = await page.locator('table tbody tr').count();
  return { ok: rows > 0, detail: `${rows} routes listed after ${Math.round((Date.now() - started) / 1000)} s` };
});

await check('2-route-diagram-' + routeId, async page => {
  await page.getByText(routeId, { exact: true }).first().click();
  return diagram(page);
});

await check('3-all-routes-diagram', async page => {
  await page.getByText('routes', { exact: true }).first().click();
  return diagram(page);
});

await check('4-source-tab-' + routeId, async page => {
  await page.getByText(routeId, { exact: true }).first().click();
  await tab(page, 'Source');
  const editor = await page.locator('.monaco-editor').first().waitFor({ timeout: 20000 }).then(() => true, () => false);
  const text = editor ? await page.locator('.monaco-editor .view-lines').first().innerText() : '';
  return editor && text.includes(routeId)
    ? { ok: true, detail: `editor shows the route (${text.split('\n').length} lines visible)` }
    : { ok: false, detail: editor ? 'editor loaded without the route' : 'no editor after 20 s (still "Loading…")' };
});

await browser.close();

// the route source without Hawtio: the Camel dev console
const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
try {
  const answer = await fetch(root + 'actuator/camel/source', { headers: { authorization: auth } });
  const body = answer.ok ? await answer.json() : null;
  const routes = body?.source?.routes ?? [];
  const route = routes.find(r => r.routeId === routeId);
  const lines = route?.code?.length ?? 0;
  results.push({
    name: '5-dev-console-source',
    ok: lines > 0,
    detail: `GET /actuator/camel/source: HTTP ${answer.status}, ${routes.length} routes, ${routeId} from ${route?.source ?? '?'}: ${lines} source lines`,
    errors: [], blocked: [],
  });
} catch (e) {
  results.push({ name: '5-dev-console-source', ok: false, detail: e.message, errors: [], blocked: [] });
}

for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}${r.shot ? ` [${r.shot}]` : ''}`);
  for (const b of r.blocked) console.log(`       blocked request: ${b}`);
  for (const e of r.errors) console.log(`       ${e.split('\n')[0].slice(0, 300)}`);
}
const failed = results.filter(r => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
