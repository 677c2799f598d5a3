// End-to-end tests of the dashboard in Debian's Chromium (playwright-core), against the real C++
// server on demo data (issue 5).
//
//   node --test e2e/dashboard.test.mjs                       # builds demo data, starts the server
//   BASE_URL=http://127.0.0.1:8080 node --test e2e/...      # a server already serving app and API
//
// Without BASE_URL, `accidents serve --web dist/web/browser` (ACCIDENTS_BIN, default
// build/release/src/accidents; `npm run build` first) serves the app and the API, as `make run` does.
// Exit code 77 when Chromium or the binary is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '..');
const repo = resolve(web, '..');
const CHROMIUM =
  process.env.CHROMIUM ??
  (existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');
const BIN = process.env.ACCIDENTS_BIN ?? join(repo, 'build/release/src/accidents');
const SCREENSHOT = process.env.SCREENSHOT ?? join(repo, 'docs/screenshot-dashboard.png');

if (!existsSync(CHROMIUM) || (!process.env.BASE_URL && !existsSync(BIN))) {
  console.log(`skipped: needs ${CHROMIUM} and ${BIN} (or BASE_URL)`);
  process.exit(77);
}

let base;
let browser;
const cleanups = [];

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitFor(url, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

before(async () => {
  if (process.env.BASE_URL) {
    base = process.env.BASE_URL.replace(/\/+$/, '');
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'web-e2e-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const csv = join(dir, 'demo.csv');
    execFileSync(BIN, ['demo-data', '--rows', '20000', '--seed', '1', '--out', csv]);
    const port = await freePort();
    const server = spawn(
      BIN,
      [
        'serve',
        '--data',
        csv,
        '--port',
        String(port),
        '--web',
        join(web, 'dist/web/browser'),
        '--no-access-log',
      ],
      { stdio: 'ignore' },
    );
    cleanups.push(() => server.kill());
    base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/healthz`);
  }
  await waitFor(`${base}/api/years`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  cleanups.push(() => browser.close());
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A page that records console errors and CSP violations. */
async function openPage(viewport = { width: 1400, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, problems };
}

/** X-Total-Count of an API query. */
async function apiCount(params) {
  const q = new URLSearchParams({ ...params, limit: '1', fields: 'Event.Id' });
  const r = await fetch(`${base}/api/query?${q}`);
  assert.equal(r.status, 200, `/api/query?${q}`);
  return Number(r.headers.get('x-total-count'));
}

/** The whole selection's figures from /api/stats without group_by. */
async function apiTotals(params) {
  const q = new URLSearchParams({ ...params, metrics: 'count,fatal_events,fatal_share' });
  const r = await fetch(`${base}/api/stats?${q}`);
  assert.equal(r.status, 200, `/api/stats?${q}`);
  return (await r.json())[0];
}

/** Waits until the dashboard shows `total` events, the map has its markers and the charts their data. */
async function settled(page) {
  await page.waitForSelector('[data-testid=total]');
  await page.waitForSelector('[data-testid=map][data-placed]');
  await page.waitForSelector('app-stats-charts [data-testid=chart-phase] figure[data-total]');
  await page.waitForFunction(
    () => {
      const total = document.querySelector('[data-testid=total]')?.getAttribute('data-total');
      const table = document.querySelector('[data-testid=table-count]')?.getAttribute('data-count');
      const phase = document
        .querySelector('[data-testid=chart-phase] figure')
        ?.getAttribute('data-total');
      return (
        total !== null &&
        total === table &&
        total === phase &&
        !document.querySelector('[aria-busy=true]')
      );
    },
    null,
    { timeout: 15000 },
  );
  return page.evaluate(() => ({
    total: Number(document.querySelector('[data-testid=total]').getAttribute('data-total')),
    table: Number(document.querySelector('[data-testid=table-count]').getAttribute('data-count')),
    placed: Number(document.querySelector('[data-testid=map]').getAttribute('data-placed')),
    phase: Number(
      document.querySelector('[data-testid=chart-phase] figure').getAttribute('data-total'),
    ),
    weather: Number(
      document.querySelector('[data-testid=chart-weather] figure').getAttribute('data-total'),
    ),
    markers: document.querySelectorAll(
      '.leaflet-marker-pane .marker-cluster, .leaflet-overlay-pane path.leaflet-interactive',
    ).length,
  }));
}

test('choosing a year places as many events as the API has with coordinates', async () => {
  const { page, problems } = await openPage();
  await page.goto(`${base}/`);
  await page.waitForSelector('[data-testid=year] option[value="1990"]', { state: 'attached' });
  await page.selectOption('[data-testid=year]', '1990');
  await page.waitForURL(/year=1990/);
  await page.waitForFunction(() => document.querySelector('[data-testid=year]')?.value === '1990');
  const view = await settled(page);
  assert.equal(view.total, await apiCount({ year: '1990' }));
  assert.equal(view.placed, await apiCount({ year: '1990', has_coords: 'true' }));
  assert.ok(view.placed > 0 && view.markers > 0, 'markers or clusters drawn');
  // the events without coordinates can be listed
  await page.click('[data-testid=list-unplaced]');
  // the click re-renders asynchronously: read the count once the table is in its unplaced mode
  await page.waitForSelector('[data-testid=table-count][data-mode=unplaced]');
  const unplaced = Number(await page.getAttribute('[data-testid=table-count]', 'data-count'));
  assert.equal(unplaced, view.total - view.placed);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a filter drives map, charts, table and URL together; a reload restores the view', async () => {
  const { page, problems } = await openPage();
  await page.goto(`${base}/?year=1995`);
  await settled(page);
  await page.selectOption('[data-testid=filter-phase]', 'Landing');
  await page.check('[data-testid=filter-fatal]');
  await page.waitForURL(
    (u) => u.searchParams.get('phase') === 'Landing' && u.searchParams.get('fatal') === '1',
  );
  const params = {
    year: '1995',
    'Broad.Phase.of.Flight': 'Landing',
    'Total.Fatal.Injuries__gt': '0',
  };
  const expected = await apiCount(params);
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=total]')?.getAttribute('data-total') === String(n),
    expected,
  );
  const view = await settled(page);
  assert.equal(view.total, expected);
  assert.equal(view.table, expected);
  assert.equal(view.phase, expected);
  assert.equal(view.weather, expected);
  assert.equal(view.placed, await apiCount({ ...params, has_coords: 'true' }));
  const csv = await page.getAttribute('[data-testid=download-csv]', 'href');
  assert.match(csv, /format=csv/);
  assert.match(csv, /Broad\.Phase\.of\.Flight=Landing/);

  const url = page.url();
  await page.reload();
  const again = await settled(page);
  assert.equal(page.url(), url);
  assert.deepEqual(again, view);
  assert.equal(await page.inputValue('[data-testid=filter-phase]'), 'Landing');
  assert.equal(await page.isChecked('[data-testid=filter-fatal]'), true);
  assert.equal(await page.inputValue('[data-testid=year]'), '1995');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the make filter and the charts use canonical values: one Cessna, whatever the spelling', async () => {
  const { page, problems } = await openPage();
  // the demo data spells Cessna as Cessna, CESSNA and CESSNA AIRCRAFT CO ...
  const spellings = await (
    await fetch(`${base}/api/stats?group_by=Make:raw&Make=cessna&year=2008`)
  ).json();
  assert.ok(
    spellings.length > 1,
    `several spellings of Cessna in 2008: ${JSON.stringify(spellings)}`,
  );
  await page.goto(`${base}/?year=2008&make=${encodeURIComponent('CESSNA AIRCRAFT CO')}`);
  const view = await settled(page);
  const expected = spellings.reduce((n, g) => n + g.count, 0);
  assert.equal(view.total, expected);
  assert.equal(view.table, expected);
  const keys = JSON.parse(await page.getAttribute('[data-testid=chart-makes] figure', 'data-keys'));
  assert.deepEqual(keys, ['Cessna']);
  // unfiltered, the top makes are canonical values, so no manufacturer appears twice
  await page.goto(`${base}/?year=2008`);
  await settled(page);
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=chart-makes] figure')?.getAttribute('data-groups') ===
      '10',
  );
  const top = JSON.parse(await page.getAttribute('[data-testid=chart-makes] figure', 'data-keys'));
  const api = await (
    await fetch(`${base}/api/stats?group_by=Make&year=2008&sort=-count&top=10`)
  ).json();
  assert.deepEqual(
    top,
    api.map((g) => g.Make),
  );
  assert.equal(new Set(top.map((k) => String(k).toUpperCase())).size, top.length);
  // the choices of the weather filter are canonical values with their labels and counts
  const weather = await page.$$eval('[data-testid=filter-weather] option', (os) =>
    os.map((o) => o.textContent.trim()),
  );
  assert.ok(
    weather.some((t) => /^Visual \(VMC\) \([\d,]+\)$/.test(t)),
    weather.join(' | '),
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test('compare mode puts two selections side by side, as the API counts them, and keeps them in the URL', async () => {
  const { page, problems } = await openPage();
  const range = { from: '1990-01-01', to: '1999-12-31' };
  await page.goto(`${base}/?from=${range.from}&to=${range.to}&make=Cessna`);
  await settled(page);
  await page.click('[data-testid=compare-open]');
  await page.waitForURL((u) => u.searchParams.get('compare') === '1');
  const makeB = page.locator('[data-testid=compare-b] [data-testid=filter-make]');
  await makeB.fill('Piper');
  await makeB.dispatchEvent('change');
  await page.waitForURL((u) => u.searchParams.get('b.make') === 'Piper');

  const side = async (name, params) => {
    const t = await apiTotals(params);
    assert.ok(t.count > 0, `${name}: a comparison of nothing proves little`);
    const el = page.locator(`[data-testid=compare-${name}]`);
    await page.waitForFunction(
      ([n, c]) =>
        document.querySelector(`[data-testid=compare-${n}]`)?.getAttribute('data-count') ===
        String(c),
      [name, t.count],
    );
    assert.equal(Number(await el.getAttribute('data-fatal-events')), t.fatal_events);
    assert.equal(Number(await el.getAttribute('data-share')), t.fatal_share);
    assert.equal(Number(await el.getAttribute('data-low')), t.fatal_share_low);
    assert.equal(Number(await el.getAttribute('data-high')), t.fatal_share_high);
    const shown = await el.locator('[data-testid=fatal-share]').textContent();
    assert.match(
      shown,
      new RegExp(
        `${(t.fatal_share * 100).toFixed(1)} %.*95 % CI ${(t.fatal_share_low * 100).toFixed(1)} %`,
        's',
      ),
    );
    return t;
  };
  await side('a', { Make: 'Cessna', ...range });
  await side('b', { Make: 'Piper', ...range });
  // two time pickers, each with its own mode: both in date-range mode here
  assert.equal(await page.isChecked('.top input[value=range]'), true);
  assert.equal(await page.isChecked('[data-testid=compare-b] input[value=range]'), true);
  assert.match(await page.textContent('[data-testid=compare-b] [data-testid=title]'), /Piper/);

  // B in another period: 2010s Piper against 1990s Cessna
  const fromB = page.locator('[data-testid=compare-b] [data-testid=from]');
  await fromB.fill('2010-01-01');
  await fromB.dispatchEvent('change');
  const toB = page.locator('[data-testid=compare-b] [data-testid=to]');
  await toB.fill('2019-12-31');
  await toB.dispatchEvent('change');
  await page.waitForURL(
    (u) =>
      u.searchParams.get('b.to') === '2019-12-31' && u.searchParams.get('b.from') === '2010-01-01',
  );
  const b2010s = await side('b', { Make: 'Piper', from: '2010-01-01', to: '2019-12-31' });

  // the URL holds both selections: a reload shows the same comparison
  const url = page.url();
  await page.reload();
  await side('a', { Make: 'Cessna', ...range });
  assert.equal(
    (await side('b', { Make: 'Piper', from: '2010-01-01', to: '2019-12-31' })).count,
    b2010s.count,
  );
  assert.equal(page.url(), url);
  assert.equal(await makeB.inputValue(), 'Piper');
  assert.equal(await page.inputValue('[data-testid=filter-make] >> nth=0'), 'Cessna');

  await page.click('[data-testid=compare-close]');
  await page.waitForURL((u) => !u.searchParams.has('compare') && !u.searchParams.has('b.make'));
  assert.equal(await page.locator('[data-testid=compare]').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 429 from the gateway shows a clear message', async () => {
  const { page } = await openPage();
  await page.route('**/api/query**', (route) =>
    route.fulfill({
      status: 429,
      contentType: 'application/json',
      body: '{"message":"Too Many Requests"}',
    }),
  );
  await page.goto(`${base}/?year=1982`);
  const alert = await page.waitForSelector('[data-testid=error]');
  const text = await alert.textContent();
  assert.match(text, /Too many requests \(429\)/);
  assert.match(text, /try again/i);
  await page.close();
});

test('a 403 from the gateway shows a clear message', async () => {
  const { page } = await openPage();
  await page.route('**/api/years', (route) =>
    route.fulfill({
      status: 403,
      contentType: 'application/json',
      body: '{"message":"Forbidden"}',
    }),
  );
  await page.goto(`${base}/`);
  const text = await (await page.waitForSelector('[data-testid=error]')).textContent();
  assert.match(text, /403 Forbidden/);
  await page.close();
});

test('dashboard screenshot (docs/screenshot-dashboard.png) and a phone-sized layout', async () => {
  const { page, problems } = await openPage({ width: 1400, height: 1100 });
  await page.goto(`${base}/?year=2008`);
  await settled(page);
  await page.waitForTimeout(500); // let markercluster's animation end before the picture
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px on a phone`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('drawing after the answer arrives, and a year change (measured)', async () => {
  const { page } = await openPage();
  // In-page clock: when the map's markers and the charts' data last changed.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      window.__lastDraw = performance.now();
    }).observe(document, {
      attributes: true,
      subtree: true,
      attributeFilter: ['data-placed', 'data-total'],
    });
  });
  // bench/web-budgets measures the case (the 1982 data, then 1983) with BUDGET_YEARS.
  const [first, next] = (process.env.BUDGET_YEARS ?? '2000,1999').split(',');
  await page.goto(`${base}/?year=${first}`);
  await settled(page);
  await page.waitForTimeout(300);
  const draw = await page.evaluate(() => {
    const answers = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/query?'));
    return Math.round(window.__lastDraw - answers[answers.length - 1].responseEnd);
  });
  const expected = await apiCount({ year: next, has_coords: 'true' });
  const started = Date.now();
  await page.selectOption('[data-testid=year]', next);
  await page.waitForFunction(
    ([n, y]) =>
      document.querySelector('[data-testid=map]')?.getAttribute('data-placed') === String(n) &&
      document.querySelector('[data-testid=year]')?.value === y,
    [expected, next],
  );
  const change = Date.now() - started;
  // A measurement, not a pass/fail check: timings never fail a test.
  console.log(
    `budgets: year ${first} drawn ${draw} ms after the /api/query answer; change to ${next} ${change} ms`,
  );
  await page.close();
});
