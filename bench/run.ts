/**
 * `npm run bench`: builds a clinic-sized database in a temp dir and prints figures, each next to a
 * raw baseline measured in the same run on the same machine. Figures only: nothing here asserts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  closeDatabase,
  databasePath,
  openDatabase,
  openMoreConnection,
  type DataKey,
  type Db,
} from '../db/connection.js';
import { newDataKey } from '../electron/services/keySlots.js';
import { newId } from '../db/ids.js';
import { bulkLoadWithPractitioners, percentile } from './clinicFixture.js';
import { demoClinic, seededRandom, type DemoPlan } from '../electron/services/demo.js';
import { createServices, type Services } from '../electron/services/index.js';
import { createFigures } from './figures.js';
import crypto from 'node:crypto';
import { hashPin, pinMatches } from '../electron/services/pinHash.js';
import { encryptionFigures } from './encryption.js';
import { syncFigures } from './sync.js';
import { cameraJpeg, photoFigures } from './photos.js';
import { csvFigure } from './csv.js';
import { BENCH_STEP_NAMES, benchSteps, readKept, writeKept, type KeptBuild } from './options.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);
const STEPS = benchSteps(process.env.BENCH_STEPS);

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const ms = (x: number) => `${x.toFixed(3)} ms`;
const bench = createFigures({ script: 'bench', clients: CLIENTS, cores: os.availableParallelism() });

/** Our bulk path (bench/clinicFixture.ts), after the practitioners it refers to. */
function bulkLoad(db: Db, plan: DemoPlan): number {
  return bulkLoadWithPractitioners(db, plan).rows;
}

/** Baseline: a bare prepared INSERT loop of the same number of rows into a table of similar width. */
function bareInsertLoop(db: Db, n: number): void {
  db.exec(
    `CREATE TABLE bench_bare (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER, d REAL, e TEXT, f TEXT, g TEXT)`,
  );
  const insert = db.prepare(`INSERT INTO bench_bare VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const many = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++)
      insert.run(newId(), 'course', '2026-03-02T10:00:00.000Z', i, 0.5, 'SkinPen', 'L2491-07', '[]');
  });
  for (let i = 0; i < n; i += 20_000) many(i, Math.min(n, i + 20_000));
  db.exec(`DROP TABLE bench_bare`);
}

/** A sign-in's PIN check (scrypt N=2^15, r=8) next to a bare SHA-256 of the same PIN. */
async function signInFigure(): Promise<void> {
  const stored = await hashPin('480211');
  const checks: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await pinMatches('480211', stored);
    checks.push(performance.now() - t);
  }
  const t = performance.now();
  crypto.createHash('sha256').update('480211').digest();
  bench.add('signInPinCheck', {
    what: `sign-in: PIN check, p50 of 10 (max ${ms(Math.max(...checks))})`,
    unit: 'ms',
    ours: percentile(checks, 50),
    baseline: performance.now() - t,
    baselineWhat: 'bare SHA-256',
  });
}

/** The bench clinic: three courses a client, four sessions a course. */
const clinicPlan = (clients: number): Parameters<typeof demoClinic>[0] => ({
  clients,
  coursesPerClient: [3, 3],
  sessionsPerCourse: [4, 4],
  plannedPerCourse: [4, 6],
  seed: 42,
});

/**
 * Generates the clinic and loads it through our bulk path, then the bare INSERT baseline; the plan
 * is garbage once this returns (1.2M sessions at 100k clients), so the later steps' peak RSS is theirs.
 */
async function buildClinic(db: Db): Promise<KeptBuild> {
  const plan = await bench.step('generate', () => demoClinic(clinicPlan(CLIENTS)));
  const generatePeakRssMiB = bench.steps.at(-1)?.peakRssMiB ?? null;
  const sessions = plan.clients.reduce((n, c) => n + c.courses.reduce((m, k) => m + k.sessions.length, 0), 0);
  console.log(`  generated ${plan.clients.length * 3} courses, ${sessions} sessions`);
  let rows = 0;
  const loadMs = await bench.step('bulk load', () =>
    time(() => {
      rows = bulkLoad(db, plan);
    }),
  );
  const loadPeakRssMiB = bench.steps.at(-1)?.peakRssMiB ?? null;
  (globalThis as { gc?: () => void }).gc?.();
  const bareMs = await bench.step('bulk load (bare baseline)', () => time(() => bareInsertLoop(db, rows)));
  db.pragma('optimize');
  return {
    clients: CLIENTS,
    rows,
    sessions,
    loadMs,
    bareMs,
    generatePeakRssMiB,
    loadPeakRssMiB,
    builtAt: new Date().toISOString(),
  };
}

/** Lot recall (three indexed lot lookups + joins) and lot suggestions as typed, at clinic size. */
function lotFigures(services: Services, db: Db, rnd: () => number): void {
  const lots = (kind: string) =>
    (
      db.prepare(`SELECT DISTINCT ${kind}_lot AS lot FROM sessions WHERE ${kind}_lot <> ''`).all() as {
        lot: string;
      }[]
    ).map((r) => r.lot);
  const pool = [...lots('cartridge'), ...lots('numbing'), ...lots('glide')];
  const pick = () => pool[Math.floor(rnd() * pool.length)]!;
  const recallTimes: number[] = [];
  const scanTimes: number[] = [];
  const found: number[] = [];
  const scan = db.prepare(
    `SELECT id FROM sessions NOT INDEXED WHERE cartridge_lot = @lot OR numbing_lot = @lot OR glide_lot = @lot`,
  );
  for (let i = 0; i < SAMPLES; i++) {
    const lot = pick();
    recallTimes.push(time(() => found.push(services.lots.recall({ lot }).sessions.length)));
    if (i < 50) scanTimes.push(time(() => scan.all({ lot })));
  }
  bench.add('lotRecallP95', {
    what: `lot recall (sessions of a lot, ${Math.round(percentile(found, 50))}–${Math.max(...found)} found), p95 (p50 ${ms(percentile(recallTimes, 50))})`,
    unit: 'ms',
    ours: percentile(recallTimes, 95),
    baseline: percentile(scanTimes, 95),
    baselineWhat: `bare full scan of the three lot columns (p50 ${ms(percentile(scanTimes, 50))})`,
  });
  const kinds = ['cartridge', 'numbing', 'glide'] as const;
  const recentTimes: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const prefix = pick().slice(0, Math.floor(rnd() * 4));
    const kind = i % 4 === 3 ? null : kinds[i % 3]!;
    recentTimes.push(time(() => services.lots.recent({ kind, prefix })));
  }
  const distinct = db.prepare(`SELECT DISTINCT cartridge_lot FROM sessions NOT INDEXED`);
  const distinctTimes = Array.from({ length: 20 }, () => time(() => distinct.all()));
  bench.add('lotSuggestionsP95', {
    what: `lot suggestions as typed (0–3 characters, one kind or all), p95 (p50 ${ms(percentile(recentTimes, 50))})`,
    unit: 'ms',
    ours: percentile(recentTimes, 95),
    baseline: percentile(distinctTimes, 50),
    baselineWhat: 'bare DISTINCT scan of one lot column, p50',
  });
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_KEEP;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-bench-'));
  if (keep) fs.mkdirSync(keep, { recursive: true });
  const kept = keep ? readKept(keep, CLIENTS) : null;
  console.log(
    `NeedleLog benchmark — ${CLIENTS.toLocaleString('en')} clients, data in ${dir}${
      kept ? ` (kept clinic built ${kept.build.builtAt}, reused)` : keep ? ' (built now and kept)' : ''
    }; steps: ${STEPS.size === BENCH_STEP_NAMES.length ? 'all' : [...STEPS].join(', ')}`,
  );
  console.log(
    `  machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const key = kept?.key ?? newDataKey();
  const db = openDatabase(dir, key);
  const services: Services = createServices(db);
  try {
    const build = kept?.build ?? (await buildClinic(db));
    if (keep && !kept) writeKept(keep, key, build);
    bench.add('bulkLoad', {
      what: `bulk load (${build.rows.toLocaleString('en')} rows, validated, with zones, search index and overview aggregates${
        kept
          ? `; measured when the kept clinic was built, generate peak RSS ${build.generatePeakRssMiB} MiB, load ${build.loadPeakRssMiB} MiB`
          : ''
      })`,
      unit: 'rows/s',
      ours: (build.rows / build.loadMs) * 1000,
      baseline: (build.rows / build.bareMs) * 1000,
      baselineWhat: 'bare prepared INSERT loop',
      higherIsBetter: true,
    });

    // One session save through the service: validate, transaction, zones, audit, warnings; each commit fsynced.
    const practitionerId = services.practitioners.list()[0]!.id;
    const courseIds = (db.prepare(`SELECT id FROM courses ORDER BY rowid`).all() as { id: string }[]).map(
      (r) => r.id,
    );
    const rnd = seededRandom(7);
    const pickCourse = () => courseIds[Math.floor(rnd() * courseIds.length)]!;
    if (STEPS.has('save'))
      await bench.step('session save', async () => {
        const saveTimes: number[] = [];
        const bareTimes: number[] = [];
        const bare = db.prepare(
          `INSERT INTO sessions (id, course_id, practitioner_id, performed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
        );
        // Interleaved, so both see the same disk and the same load. Each save is one request in the
        // app: the event loop turns between them (and runs what the app defers, such as checkpoints).
        for (let i = 0; i < SAMPLES; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          const courseId = pickCourse();
          saveTimes.push(
            time(() =>
              services.sessions.create({
                courseId,
                practitionerId,
                performedAt: new Date().toISOString(),
                device: 'SkinPen Precision',
                cartridgeType: '16-pin',
                cartridgeLot: 'L2491-07',
                zones: [
                  { zone: 'cheek_left', depthMm: 1.0 },
                  { zone: 'chin', depthMm: 0.75 },
                ],
                numbingAgent: 'blt',
                numbingMinutes: 30,
                pain: 3,
                aftercare: ['spf30_from_24h', 'no_makeup_24_48h'],
              }),
            ),
          );
          const at = new Date().toISOString();
          bareTimes.push(time(() => bare.run(newId(), pickCourse(), practitionerId, at, at, at)));
        }
        bench.add('sessionSaveP95', {
          what: `session save via service, p95 (p50 ${ms(percentile(saveTimes, 50))})`,
          unit: 'ms',
          ours: percentile(saveTimes, 95),
          baseline: percentile(bareTimes, 95),
          baselineWhat: `bare autocommit INSERT (p50 ${ms(percentile(bareTimes, 50))})`,
          goal: '≤ 3×',
        });
      });

    // Client search as typed: 2–5 letter prefixes of real names in the clinic, 100 per page.
    if (STEPS.has('search'))
      await bench.step('client search', () => {
        const names = (
          db.prepare(`SELECT first_name AS f, last_name AS l FROM clients`).all() as {
            f: string;
            l: string;
          }[]
        ).map((r) => (rnd() < 0.5 ? r.f : r.l));
        const searchTimes: number[] = [];
        const searchCpu: number[] = [];
        const likeTimes: number[] = [];
        // The bare scan reads every client row: on a connection of its own, so that it does not
        // empty our connection's page cache between two searches (the app never interleaves one).
        const bareDb = openMoreConnection(db.name, key);
        const like = bareDb.prepare(
          `SELECT id FROM clients WHERE sort_name LIKE ? ORDER BY sort_name LIMIT 100`,
        );
        for (let i = 0; i < SAMPLES; i++) {
          const name = names[Math.floor(rnd() * names.length)]!;
          const q = name.slice(0, 2 + Math.floor(rnd() * 4));
          const cpu = process.cpuUsage();
          searchTimes.push(time(() => services.clients.list({ query: q, limit: 100 })));
          const used = process.cpuUsage(cpu);
          searchCpu.push((used.user + used.system) / 1000);
          likeTimes.push(time(() => like.all(`%${q.toLowerCase()}%`)));
        }
        bareDb.close();
        console.log(
          `  client search, CPU time (user + system) per search: p50 ${ms(percentile(searchCpu, 50))}, p95 ${ms(percentile(searchCpu, 95))}`,
        );
        bench.add('clientSearchP95', {
          what: `client search (prefix, accent-insensitive, page of 100 + total), p95 (p50 ${ms(percentile(searchTimes, 50))})`,
          unit: 'ms',
          ours: percentile(searchTimes, 95),
          baseline: percentile(likeTimes, 95),
          baselineWhat: 'bare LIKE scan',
          goal: CLIENTS > 10_000 ? '< 10 ms' : '< 5 ms',
        });
      });

    if (STEPS.has('courses'))
      await bench.step('course lists', () => {
        const listTimes: number[] = [];
        const listCpu: number[] = [];
        const bareListTimes: number[] = [];
        const progressTimes: number[] = [];
        const bareList = db.prepare(
          `SELECT * FROM sessions WHERE course_id = ? AND deleted_at IS NULL ORDER BY performed_at`,
        );
        for (let i = 0; i < SAMPLES; i++) {
          const courseId = pickCourse();
          const cpu = process.cpuUsage();
          listTimes.push(time(() => services.sessions.list({ courseId })));
          const used = process.cpuUsage(cpu);
          listCpu.push((used.user + used.system) / 1000);
          bareListTimes.push(time(() => bareList.all(courseId)));
          // Course progress charts: per-session figures of one course (intervals, zones, adverse events).
          progressTimes.push(time(() => services.progress.get({ courseId: pickCourse() })));
        }
        // Wall time on a busy machine: a p95 of a 0.3 ms call is mostly the run queue; its CPU beside it.
        console.log(
          `  course session list, CPU time (user + system) per list: p50 ${ms(percentile(listCpu, 50))}, p95 ${ms(percentile(listCpu, 95))}`,
        );
        bench.add('courseListP95', {
          what: `course session list (numbered, with zones and practitioner), p95 (p50 ${ms(percentile(listTimes, 50))})`,
          unit: 'ms',
          ours: percentile(listTimes, 95),
          baseline: percentile(bareListTimes, 95),
          baselineWhat: 'bare SELECT',
          goal: '< 1 ms',
        });
        bench.add('courseProgressP95', {
          what: `course progress (charts data), p95 (p50 ${ms(percentile(progressTimes, 50))})`,
          unit: 'ms',
          ours: percentile(progressTimes, 95),
          baseline: percentile(bareListTimes, 95),
          baselineWhat: 'bare SELECT',
        });
      });

    // Clinic overview: every figure from SQL aggregates; all time (every session) and the default 26 weeks.
    if (STEPS.has('overview'))
      await bench.step('overview', () => {
        const sessionCount = (db.prepare(`SELECT count(*) AS n FROM sessions`).get() as { n: number }).n;
        const overviewAll: number[] = [];
        const overviewDefault: number[] = [];
        const overviewFiltered: number[] = [];
        const bareScan: number[] = [];
        const scan = db.prepare(`SELECT count(*), sum(pain) FROM sessions WHERE deleted_at IS NULL`);
        for (let i = 0; i < 20; i++) {
          overviewAll.push(time(() => services.overview.get({ from: '2000-01-01' })));
          overviewDefault.push(time(() => services.overview.get({})));
          overviewFiltered.push(
            time(() => services.overview.get({ from: '2000-01-01', practitionerId, area: 'full_face' })),
          );
          bareScan.push(time(() => scan.get()));
        }
        const scanP50 = percentile(bareScan, 50);
        const goal = CLIENTS > 10_000 ? '≤ 3×, < 300 ms' : '≤ 3×';
        const baselineWhat = 'bare count+sum scan of sessions';
        bench.add('overviewAllTime', {
          what: `clinic overview, all time (${sessionCount.toLocaleString('en')} sessions), p50 of 20 (max ${ms(Math.max(...overviewAll))})`,
          unit: 'ms',
          ours: percentile(overviewAll, 50),
          baseline: scanP50,
          baselineWhat,
          goal,
        });
        bench.add('overviewDefault', {
          what: `clinic overview, default 26 weeks, p50 of 20 (max ${ms(Math.max(...overviewDefault))})`,
          unit: 'ms',
          ours: percentile(overviewDefault, 50),
          baseline: scanP50,
          baselineWhat,
          goal,
        });
        bench.add('overviewFiltered', {
          what: `clinic overview, all time, one practitioner + one area, p50 of 20 (max ${ms(Math.max(...overviewFiltered))})`,
          unit: 'ms',
          ours: percentile(overviewFiltered, 50),
          baseline: scanP50,
          baselineWhat,
          goal,
        });
      });
    if (STEPS.has('lots')) await bench.step('lots', () => lotFigures(services, db, rnd));
    if (STEPS.has('csv')) {
      // A failed export (e.g. out of memory in its own process) is reported, and the run goes on.
      await csvFigure(dir, key, bench, CLIENTS).catch((e: unknown) =>
        console.log(
          `  clinic-wide CSV export FAILED: ${String(e instanceof Error ? e.message : e).slice(0, 2000)}`,
        ),
      );
    }
    if (STEPS.has('photos')) await bench.step('photos', () => photoFigures(services, db, bench));
    if (STEPS.has('signin')) await signInFigure();
    if (STEPS.has('encryption')) {
      // Two more clinics (plain and encrypted) built from one plan: a ratio of like to like, which
      // the clinic's size does not change, so bounded to 10,000 clients.
      const clients = Math.min(CLIENTS, BOUNDED_CLIENTS);
      if (clients < CLIENTS)
        console.log(
          `  encryption figures at ${clients.toLocaleString('en')} clients (bounded: two more clinics built for a plain-vs-encrypted ratio)`,
        );
      const jpeg = await cameraJpeg(4000, 3000, 12, 90);
      await bench.step('encryption', () =>
        encryptionFigures(bench, clients, SAMPLES, jpeg, Number(process.env.BENCH_PHOTOS ?? 8)),
      );
    }
    if (STEPS.has('sync')) await bench.step('sync', () => syncOnCopy(db, key));

    const size = fs.statSync(databasePath(dir)).size;
    const used = db.pragma('page_size', { simple: true }) as number;
    const pages =
      (db.pragma('page_count', { simple: true }) as number) -
      (db.pragma('freelist_count', { simple: true }) as number);
    bench.add('databaseSize', {
      what: `database file (${build.sessions.toLocaleString('en')} sessions generated; pages in use ${((used * pages) / 1024 / 1024).toFixed(1)} MiB)`,
      unit: 'MiB',
      ours: size / 1024 / 1024,
      baseline: null,
    });
    bench.finish();
  } finally {
    closeDatabase(db);
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Steps that build clinics of their own, or that would change the bench's, run at most at this size. */
const BOUNDED_CLIENTS = 10_000;

/**
 * The sync figures pair a clinic (logging every field of every record) and add sessions to it: they
 * run on a copy of the bench clinic, so a kept one stays as built; above 10,000 clients on a fresh
 * clinic of 10,000 (pairing logs about 30 fields a session: tens of millions of messages at 100k
 * clients), and the printed line says so.
 */
async function syncOnCopy(db: Db, key: DataKey): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-bench-synccopy-'));
  let copy: Db;
  if (CLIENTS <= BOUNDED_CLIENTS) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(db.name, databasePath(tmp));
    copy = openDatabase(tmp, key);
  } else {
    console.log(
      `  sync figures on a clinic of ${BOUNDED_CLIENTS.toLocaleString('en')} clients built for them (bounded: pairing logs every field of every record)`,
    );
    copy = openDatabase(tmp, key);
    bulkLoadWithPractitioners(copy, demoClinic(clinicPlan(BOUNDED_CLIENTS)));
  }
  try {
    await syncFigures(copy);
  } finally {
    closeDatabase(copy);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
