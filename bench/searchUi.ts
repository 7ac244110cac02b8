/**
 * `npm run bench:ui`: the app where the practitioner sees it, at 10,000 and at 100,000 clients
 * (BENCH_UI_SIZES). For each size: cold start (a new browser host process started with
 * `needlelog web`, to the client list shown and the search box ready in Chromium), and
 * search-as-you-type (names typed into "Search clients" one key at a time, each keystroke timed to
 * the frame that shows that search's result; baseline: the bare `clients.list` HTTP round trip for
 * the same searches, from the same page). Also the renderer's JS size, raw and gzipped.
 * Figures only: nothing here asserts. Needs `npx electron-vite build` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { closeDatabase, openDatabase, type DataKey } from '../db/connection.js';
import { createKeys, readKeyFile, unlockWithSecret, writeKeyFile } from '../electron/services/keySlots.js';
import { startBrowserHost } from '../electron/host/browserHost.js';
import { putPin } from '../db/pins.js';
import { hashPinSync } from '../electron/services/pinHash.js';
import { DEMO_PINS } from '../electron/services/demo.js';
import { bulkLoadClinic, percentile } from './clinicFixture.js';
import { createFigures } from './figures.js';
import { demoClinic, seededRandom, type DemoPlan } from '../electron/services/demo.js';
import { createServices } from '../electron/services/index.js';

const SIZES = (process.env.BENCH_UI_SIZES ?? '10000,100000').split(',').map(Number);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3);
const WORDS = Number(process.env.BENCH_WORDS ?? 15);
const KEYS_PER_WORD = 4;
const rendererDir = path.resolve(import.meta.dirname, '..', 'out', 'renderer');

const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

/** The clinic: practitioners and settings through the services, clients in bulk through db/ (as bench/run.ts). */
function buildClinic(dir: string, plan: DemoPlan, key: DataKey): string {
  const db = openDatabase(dir, key);
  try {
    const services = createServices(db);
    const practitionerIds = plan.practitioners.map((p) => services.practitioners.create(p).id);
    // The manager signs in with her demo PIN before the page opens (see below).
    putPin(db, practitionerIds[0]!, hashPinSync(DEMO_PINS[0]!), new Date().toISOString());
    services.settings.update({
      clinicName: plan.clinicName,
      currentPractitionerId: practitionerIds[0] ?? null,
    });
    bulkLoadClinic(db, plan, practitionerIds);
    db.pragma('optimize');
    return practitionerIds[0]!;
  } finally {
    closeDatabase(db);
  }
}

const IN_PAGE = `
  document.addEventListener('keydown', (e) => { window.__keyAt = e.timeStamp; }, { capture: true });
  window.__armed = (query) => {
    window.__pending = new Promise((resolve) => {
      const shown = () => document.querySelector('.count[data-query="' + CSS.escape(query) + '"]') !== null;
      const done = () =>
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__keyAt), 0));
      if (shown()) return done();
      const observer = new MutationObserver(() => {
        if (!shown()) return;
        observer.disconnect();
        done();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  };
`;

const bench = createFigures({ script: 'bench-ui', sizes: SIZES, cores: os.availableParallelism() });
const cli = path.resolve(import.meta.dirname, '..', 'bin', 'needlelog.mjs');

/** The bench clinics' passphrase (the CLI host gets it as NEEDLELOG_PASSPHRASE). */
const BENCH_PASSPHRASE = 'bench clinic passphrase';

/** Signs the host's browser session in as the manager (every API call needs a signed-in practitioner). */
async function signIn(url: string, managerId: string): Promise<void> {
  const { origin, hash } = new URL(url);
  const secret = new URLSearchParams(hash.slice(1)).get('token') ?? '';
  const res = await fetch(`${origin}/api/auth.signIn`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ practitionerId: managerId, pin: DEMO_PINS[0] }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${await res.text()}`);
}

/** Epoch milliseconds, on the clock the host's and the page's trace lines use. */
const epochNow = () => performance.timeOrigin + performance.now();

/** `[needlelog start] STEP EPOCH_MS` lines (NEEDLELOG_TRACE_START=1, electron/startTrace.ts). */
const TRACE_LINE = /^\[needlelog start\] (.+) (\d+(?:\.\d+)?)$/gm;

interface HostProcess {
  url: string;
  stop: () => Promise<void>;
  /** The host's start steps so far, epoch ms. */
  steps: Map<string, number>;
}

/** Starts `needlelog web` as its own process; resolves with its URL once it says it is running. */
function startHostProcess(dir: string): Promise<HostProcess> {
  // The clinic is unlocked at start from the passphrase (scrypt N=2^17): part of a cold start.
  const child = spawn(process.execPath, [cli, 'web', '--data-dir', dir, '--port', '0', '--no-open'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NEEDLELOG_PASSPHRASE: BENCH_PASSPHRASE, NEEDLELOG_TRACE_START: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  const steps = new Map<string, number>();
  return new Promise((resolve, reject) => {
    let text = '';
    let errors = '';
    child.stderr.on('data', (d: Buffer) => {
      errors += d.toString();
      for (const m of errors.matchAll(TRACE_LINE)) if (!steps.has(m[1]!)) steps.set(m[1]!, Number(m[2]));
    });
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /running at (\S+)/.exec(text);
      if (m) resolve({ url: m[1]!, stop, steps });
    });
    child.once('exit', (code) => reject(new Error(`needlelog web exited (${code}): ${errors}`)));
  });
}

/** The page's own steps (navigation and paint timing), epoch ms. */
const PAGE_STEPS = `(() => {
  const o = performance.timeOrigin;
  const nav = performance.getEntriesByType('navigation')[0];
  const js = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'));
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const steps = { 'page: navigation start': o };
  if (nav) {
    steps['page: HTML received'] = o + nav.responseEnd;
    steps['page: scripts run (DOMContentLoaded)'] = o + nav.domContentLoadedEventEnd;
  }
  if (js.length) steps['page: JS received'] = o + Math.max(...js.map((r) => r.responseEnd));
  if (fcp) steps['page: first contentful paint'] = o + fcp.startTime;
  return steps;
})()`;

/** Process start → client list shown with the search box ready: once to warm caches, then COLD_STARTS times. */
async function coldStart(browser: Browser, dir: string, clients: number, managerId: string): Promise<void> {
  const runs: { ready: number; listening: number; steps: Map<string, number> }[] = [];
  for (let i = 0; i <= COLD_STARTS; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const t0 = performance.now();
    const spawnedAt = epochNow();
    const host = await startHostProcess(dir);
    const listening = performance.now() - t0;
    await signIn(host.url, managerId);
    const signedInAt = epochNow();
    await page.goto(host.url);
    await page.locator(`.count[data-query=""]`).waitFor();
    await page.getByRole('searchbox', { name: 'Search clients' }).isEnabled();
    const ready = performance.now() - t0;
    const readyAt = epochNow();
    const pageSteps = (await page.evaluate(PAGE_STEPS)) as Record<string, number>;
    await page.close();
    await host.stop();
    const steps = new Map<string, number>();
    steps.set('spawn', 0);
    for (const [step, at] of host.steps) steps.set(step, at - spawnedAt);
    steps.set('bench: sign-in reply received', signedInAt - spawnedAt);
    for (const [step, at] of Object.entries(pageSteps)) steps.set(step, at - spawnedAt);
    steps.set('bench: list shown, search box ready', readyAt - spawnedAt);
    if (i > 0) runs.push({ ready, listening, steps });
  }
  const median = (xs: number[]) => percentile(xs, 50);
  // The breakdown: each step's median time after the spawn, in the order they happen.
  const names = [...new Set(runs.flatMap((r) => [...r.steps.keys()]))];
  const rows = names
    .map((name) => ({
      name,
      at: median(runs.flatMap((r) => (r.steps.has(name) ? [r.steps.get(name)!] : []))),
    }))
    .sort((a, b) => a.at - b.at);
  console.log(`  cold start, where the time goes (median ms after the spawn, ${COLD_STARTS} starts):`);
  for (const r of rows) console.log(`    ${r.at.toFixed(0).padStart(6)}  ${r.name}`);
  bench.add(`coldStart${clients}`, {
    what: `cold start at ${clients.toLocaleString('en')} clients: host process start → signed in → client list interactive, median of ${COLD_STARTS} (host listening after ${median(runs.map((r) => r.listening)).toFixed(0)} ms)`,
    unit: 'ms',
    ours: median(runs.map((r) => r.ready)),
    baseline: null,
    goal: clients <= 10_000 ? '< 1 s' : undefined,
  });
}

/** The built renderer's JavaScript, raw and gzipped. */
function rendererSize(): void {
  const assets = path.join(rendererDir, 'assets');
  const js = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
  const raw = js.map((f) => fs.readFileSync(path.join(assets, f)));
  const bytes = raw.reduce((n, b) => n + b.byteLength, 0);
  const gzipped = raw.reduce((n, b) => n + zlib.gzipSync(b, { level: 9 }).byteLength, 0);
  bench.add('rendererJs', {
    what: `renderer JavaScript (${js.length} file${js.length === 1 ? '' : 's'}), raw; gzipped ${(gzipped / 1024).toFixed(1)} KiB`,
    unit: 'KiB',
    ours: bytes / 1024,
    baseline: null,
  });
  bench.add('rendererJsGzip', {
    what: 'renderer JavaScript, gzipped',
    unit: 'KiB',
    ours: gzipped / 1024,
    baseline: null,
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`${rendererDir} is missing: run \`npx electron-vite build\` first.`);
  }
  console.log(
    `NeedleLog UI bench — machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  rendererSize();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-quic'],
  });
  try {
    for (const clients of SIZES) await atSize(browser, clients);
  } finally {
    await browser.close();
  }
  bench.finish();
}

async function atSize(browser: Browser, CLIENTS: number): Promise<void> {
  // BENCH_UI_CLINIC_DIR keeps each size's clinic (DIR-10000, …) for the next run instead of a temp one.
  const kept = process.env.BENCH_UI_CLINIC_DIR ? `${process.env.BENCH_UI_CLINIC_DIR}-${CLIENTS}` : null;
  const dir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-searchui-'));
  const keptFile = path.join(dir, 'bench-clinic.json');
  console.log(`\n  ${CLIENTS.toLocaleString('en')} clients, data in ${dir}`);

  const t0 = performance.now();
  const plan = demoClinic({
    clients: CLIENTS,
    coursesPerClient: [1, 2],
    sessionsPerCourse: [1, 3],
    plannedPerCourse: [4, 6],
    seed: 42,
  });
  let key: DataKey;
  let managerId: string;
  if (kept && fs.existsSync(keptFile)) {
    key = unlockWithSecret(readKeyFile(dir)!, BENCH_PASSPHRASE).key;
    managerId = (JSON.parse(fs.readFileSync(keptFile, 'utf8')) as { managerId: string }).managerId;
    console.log('  reusing the clinic kept there');
  } else {
    fs.mkdirSync(dir, { recursive: true });
    const made = createKeys(BENCH_PASSPHRASE);
    key = made.key;
    writeKeyFile(dir, made.keyFile);
    managerId = buildClinic(dir, plan, key);
    if (kept) fs.writeFileSync(keptFile, JSON.stringify({ managerId }));
    console.log(`  built the clinic in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  // Words to type: prefixes of the clinic's last names (and some first names), lower-cased.
  const rnd = seededRandom(11);
  const names = new Set<string>();
  while (names.size < WORDS) {
    const c = plan.clients[Math.floor(rnd() * plan.clients.length)]!.client;
    const word = (rnd() < 0.7 ? (c.lastName ?? c.firstName) : c.firstName).toLowerCase();
    // Keys Playwright can press on a US layout; names with accents are skipped.
    if (!/^[a-z]+$/.test(word)) continue;
    if (word.length >= KEYS_PER_WORD) names.add(word.slice(0, KEYS_PER_WORD + Math.floor(rnd() * 2)));
  }

  await coldStart(browser, dir, CLIENTS, managerId);
  // BENCH_UI_COLD_ONLY=1: the cold start alone (while working on it).
  if (process.env.BENCH_UI_COLD_ONLY === '1') {
    if (!kept) fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  const host = await startBrowserHost({ dataDir: dir, rendererDir, port: 0, log: () => {}, key });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(host.url, managerId);
    await page.goto(host.url);
    await page.locator(`.count[data-query=""]`).waitFor();
    console.log(`  list opened: ${await page.locator('.count').textContent()}`);

    // In the page: the keydown's own timestamp, and a promise that resolves once the list shows the
    // result for a given search and the frame that contains it has been painted.
    // (A string, not a function: tsx would wrap named functions in a helper the page lacks.)
    await page.evaluate(IN_PAGE);

    const search = page.getByRole('searchbox', { name: 'Search clients' });
    await search.click();
    const ui: number[] = [];
    const typed: string[] = [];
    for (const word of names) {
      await search.fill('');
      await page.locator(`.count[data-query=""]`).waitFor();
      for (let i = 1; i <= word.length; i++) {
        const query = word.slice(0, i);
        await page.evaluate(`window.__armed(${JSON.stringify(query)})`);
        await page.keyboard.press(word[i - 1]!);
        ui.push(await page.evaluate<number>('window.__pending'));
        typed.push(query);
      }
    }

    // Baseline: the same searches as bare API calls from the page (fetch + JSON parse, no React).
    const api = await page.evaluate(
      async ({ queries, token }) => {
        const out: number[] = [];
        for (const query of queries) {
          const t = performance.now();
          const res = await fetch('/api/clients.list', {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ query, limit: 100, offset: 0 }),
          });
          await res.json();
          out.push(performance.now() - t);
        }
        return out;
      },
      { queries: typed, token: host.secret },
    );

    console.log(`  typed ${names.size} names, ${ui.length} keystrokes: ${[...names].join(', ')}`);
    console.log(`  keystroke → painted result: ${fmt(ui)}`);
    console.log(`    (baseline: bare clients.list round trip from the page: ${fmt(api)})`);
    bench.add(`keystroke${CLIENTS}`, {
      what: `search as you type at ${CLIENTS.toLocaleString('en')} clients, keystroke → painted result, p95 (p50 ${percentile(ui, 50).toFixed(1)} ms)`,
      unit: 'ms',
      ours: percentile(ui, 95),
      baseline: percentile(api, 95),
      baselineWhat: 'bare clients.list round trip from the page',
      goal: CLIENTS >= 100_000 ? '< 50 ms' : undefined,
    });
    await page.close();
  } finally {
    await host.close();
    if (!kept) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
