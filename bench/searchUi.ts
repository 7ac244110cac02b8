/**
 * `npx tsx bench/searchUi.ts`: search-as-you-type at clinic scale, measured where the practitioner
 * sees it. Builds a 10,000-client data directory, serves the built renderer (out/renderer) through
 * the browser host, opens Debian's Chromium, types names into "Search clients" one key at a time and
 * times each keystroke to the frame that shows that search's result. Baseline: the bare
 * `clients.list` HTTP round trip for the same searches, fetched from the same page.
 * Figures only: nothing here asserts. Needs `npx electron-vite build` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { startBrowserHost } from '../electron/host/browserHost.js';
import { putPin } from '../db/pins.js';
import { hashPinSync } from '../electron/services/pinHash.js';
import { DEMO_PINS } from '../electron/services/demo.js';
import { bulkLoadClinic, percentile } from './clinicFixture.js';
import { demoClinic, seededRandom, type DemoPlan } from '../electron/services/demo.js';
import { createServices } from '../electron/services/index.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const WORDS = Number(process.env.BENCH_WORDS ?? 15);
const KEYS_PER_WORD = 4;
const rendererDir = path.resolve(import.meta.dirname, '..', 'out', 'renderer');

const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

/** The clinic: practitioners and settings through the services, clients in bulk through db/ (as bench/run.ts). */
function buildClinic(dir: string, plan: DemoPlan): string {
  const db = openDatabase(dir);
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

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`${rendererDir} is missing: run \`npx electron-vite build\` first.`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-searchui-'));
  console.log(`NeedleLog search-as-you-type — ${CLIENTS.toLocaleString('en')} clients, data in ${dir}`);
  console.log(
    `  machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
  );

  const t0 = performance.now();
  const plan = demoClinic({
    clients: CLIENTS,
    coursesPerClient: [1, 2],
    sessionsPerCourse: [1, 3],
    plannedPerCourse: [4, 6],
    seed: 42,
  });
  const managerId = buildClinic(dir, plan);
  console.log(`  built the clinic in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

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

  const host = await startBrowserHost({ dataDir: dir, rendererDir, port: 0, log: () => {} });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const signIn = await fetch(`${host.origin}/api/auth.signIn`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ practitionerId: managerId, pin: DEMO_PINS[0] }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${await signIn.text()}`);
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
  } finally {
    await browser.close();
    await host.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
