/**
 * `npm run bench`: builds a clinic-sized database in a temp dir and prints figures, each next to a
 * raw baseline measured in the same run on the same machine. Figures only: nothing here asserts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase, type DataKey, type Db } from '../db/connection.js';
import { newDataKey } from '../electron/services/keySlots.js';
import { newId } from '../db/ids.js';
import sharp, { type JpegOptions } from 'sharp';
import { PHOTO_VIEW_KEYS } from '../contract/domain.js';
import { bulkLoadWithPractitioners, percentile } from './clinicFixture.js';
import { demoClinic, seededRandom, type DemoPlan } from '../electron/services/demo.js';
import { createServices, type Services } from '../electron/services/index.js';
import { createFigures } from './figures.js';
import crypto from 'node:crypto';
import { hashPin, pinMatches } from '../electron/services/pinHash.js';
import { STORED_JPEG } from '../electron/services/photoPipeline.js';
import { spawnSync } from 'node:child_process';
import { encryptionFigures } from './encryption.js';
import { syncFigures } from './sync.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);

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

/** A camera-like JPEG: noise over a gradient, so the encoder has real work to do, with EXIF, GPS and orientation. */
async function cameraJpeg(width: number, height: number, seed: number, quality: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  const rnd = seededRandom(seed);
  for (let i = 0; i < raw.length; i += 3) {
    const x = (i / 3) % width;
    raw[i] = (x * 255) / width + rnd() * 40;
    raw[i + 1] = 120 + rnd() * 60;
    raw[i + 2] = 200 - (x * 100) / width;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .withExif({ IFD0: { Make: 'BenchCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality })
    .toBuffer();
}

/** Twenty phone photos (4032×3024, 3–4.5 MB), all different: one noisy frame, shifted in tone and quality. */
async function phoneBatch(): Promise<Buffer[]> {
  const base = await cameraJpeg(4032, 3024, 20, 95);
  const raw = await sharp(base).raw().toBuffer({ resolveWithObject: true });
  return Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: 3 } })
        .linear(1 - i / 100, i)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 85 + (i % 6) })
        .toBuffer(),
    ),
  );
}

/** The least work that storing an upright, metadata-free copy needs: decode, rotate, encode, once. */
const bareStore = (jpeg: Buffer, jpegOptions: JpegOptions = STORED_JPEG) =>
  sharp(jpeg).rotate().jpeg(jpegOptions).toBuffer();

/** Runs `tasks` with at most `width` at a time; resolves when all are done. */
async function inParallel(width: number, tasks: (() => Promise<unknown>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}

/** One photo through the whole import (decode, orient, strip, sRGB, 3 sizes, hash, fsync, row), then a batch. */
async function photoFigures(services: Services, db: Db): Promise<void> {
  const jpeg = await cameraJpeg(4000, 3000, 12, 90);
  const sessionIds = db.prepare(`SELECT id FROM sessions LIMIT 40`).pluck().all() as string[];
  // Photos are filed only under a session with photo consent recorded.
  for (const sessionId of sessionIds.slice(0, 21)) services.photos.consent({ sessionId, answer: 'record' });
  const N = Number(process.env.BENCH_PHOTOS ?? 8);
  const ours: number[] = [];
  const bare: number[] = [];
  const bareDefault: number[] = [];
  const resize: number[] = [];
  for (let i = 0; i < N; i++) {
    // A different view each time, so every import files a row (the same image is stored once).
    const t = performance.now();
    await services.photos.import({
      sessionId: sessionIds[0]!,
      kind: i % 2 ? 'after' : 'before',
      view: PHOTO_VIEW_KEYS[i % 6]!,
      data: jpeg,
    });
    ours.push(performance.now() - t);
    let u = performance.now();
    await bareStore(jpeg);
    bare.push(performance.now() - u);
    u = performance.now();
    await bareStore(jpeg, {});
    bareDefault.push(performance.now() - u);
    u = performance.now();
    await sharp(jpeg).resize(1600, 1600, { fit: 'inside' }).jpeg().toBuffer();
    resize.push(performance.now() - u);
  }
  const mb = (jpeg.byteLength / 1024 / 1024).toFixed(1);
  const what = `photo import, 12 MP JPEG (${mb} MB), full pipeline, p50 of ${N}`;
  bench.add('photoImport', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(bare, 50),
    baselineWhat: 'bare sharp decode → rotate → encode at the stored settings',
    goal: '≤ 1.3×',
  });
  bench.add('photoImportVsDefaultEncode', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(bareDefault, 50),
    baselineWhat: "bare sharp decode → rotate → encode at sharp's defaults (q80 4:2:0)",
  });
  bench.add('photoImportVsResize', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(resize, 50),
    baselineWhat: 'bare sharp resize to 1600 px',
  });

  // A batch of 20 phone photos into one session, as the photo panel sends them: as many at a time as
  // the machine has cores.
  const photos = await phoneBatch();
  const sizes = photos.map((p) => p.byteLength / 1024 / 1024);
  const width = os.availableParallelism();
  const t = performance.now();
  await inParallel(
    width,
    photos.map(
      (data, i) => () =>
        services.photos.import({ sessionId: sessionIds[1 + i]!, kind: 'before', view: 'frontal', data }),
    ),
  );
  const oursBatch = performance.now() - t;
  const u = performance.now();
  await inParallel(
    width,
    photos.map((data) => () => bareStore(data)),
  );
  const bareBatch = performance.now() - u;
  const stored =
    (db
      .prepare(`SELECT sum(bytes) FROM photos WHERE session_id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .get(JSON.stringify(sessionIds.slice(1, 21))) as number) /
    1024 /
    1024;
  bench.add('photoBatch20', {
    what: `batch of 20 phone photos (4032×3024, ${Math.min(...sizes).toFixed(1)}–${Math.max(...sizes).toFixed(1)} MB, ${sizes.reduce((a, b) => a + b, 0).toFixed(1)} MB in, ${stored.toFixed(1)} MB stored full-size), ${width} at a time`,
    unit: 's',
    ours: oursBatch / 1000,
    baseline: bareBatch / 1000,
    baselineWhat: `bare decode → rotate → encode of the same 20, ${width} at a time`,
    goal: '≤ half of 7.76 s',
  });
}

/** Runs bench/csvChild.ts in a fresh Node process and returns what it printed. */
function csvInChild(
  dir: string,
  key: DataKey,
  mode: 'ours' | 'bare',
  out: string,
): { ms: number; cpuMs: number; sessions: number; bytes: number; peakRssMiB: number; startRssMiB: number } {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'csvChild.ts'), dir, mode, out],
    {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
      env: { ...process.env, BENCH_DATA_KEY: key.toString('hex') },
    },
  );
  if (child.status !== 0) throw new Error(`CSV ${mode} export failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ReturnType<typeof csvInChild>;
  fs.rmSync(out, { force: true });
  return result;
}

/**
 * The clinic-wide CSV export (every session, every column, streamed in batches) next to a bare
 * `SELECT * FROM sessions` streamed through csv-stringify into a file, each in a process of its
 * own so that each one's peak RSS is its own.
 */
async function csvFigure(dir: string, key: DataKey): Promise<void> {
  const ours = await bench.step('csv export (ours, own process)', () =>
    csvInChild(dir, key, 'ours', path.join(dir, 'bench-export.csv')),
  );
  const bare = await bench.step('csv export (bare baseline, own process)', () =>
    csvInChild(dir, key, 'bare', path.join(dir, 'bench-bare.csv')),
  );
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  bench.add('csvExport', {
    what: `clinic-wide CSV export (${ours.sessions.toLocaleString('en')} sessions, ${mib(ours.bytes)} MiB; CPU ${(ours.cpuMs / 1000).toFixed(2)} s; peak RSS ${ours.peakRssMiB} MiB, of which ${ours.startRssMiB} MiB before it started)`,
    unit: 's',
    ours: ours.ms / 1000,
    baseline: bare.ms / 1000,
    baselineWhat: `bare SELECT * + csv-stringify streamed to a file (${mib(bare.bytes)} MiB; CPU ${(bare.cpuMs / 1000).toFixed(2)} s; peak RSS ${bare.peakRssMiB} MiB)`,
    goal: '≤ 1.5×',
    peakRssMiB: ours.peakRssMiB,
  });
  // Wall time on a shared machine is mostly the run queue: the CPU each one took, side by side.
  bench.add('csvExportCpu', {
    what: 'clinic-wide CSV export, CPU time (user + system) of its process',
    unit: 's',
    ours: ours.cpuMs / 1000,
    baseline: bare.cpuMs / 1000,
    baselineWhat: 'the bare streamed export',
    goal: '≤ 1.5×',
  });
  bench.add('csvExportPeakRss', {
    what: 'clinic-wide CSV export, peak RSS of its process',
    unit: 'MiB',
    ours: ours.peakRssMiB,
    baseline: bare.peakRssMiB,
    baselineWhat: 'the bare streamed export',
    goal: CLIENTS > 10_000 ? '< 300 MiB' : undefined,
  });
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

/** Generates the clinic and loads it through our bulk path; the plan is garbage once this returns. */
async function loadClinic(db: Db): Promise<{ rows: number; ms: number }> {
  const plan = await bench.step('generate', () =>
    demoClinic({
      clients: CLIENTS,
      coursesPerClient: [3, 3],
      sessionsPerCourse: [4, 4],
      plannedPerCourse: [4, 6],
      seed: 42,
    }),
  );
  const sessions = plan.clients.reduce((n, c) => n + c.courses.reduce((m, k) => m + k.sessions.length, 0), 0);
  console.log(`  generated ${plan.clients.length * 3} courses, ${sessions} sessions`);
  let rows = 0;
  const ms = await bench.step('bulk load', () =>
    time(() => {
      rows = bulkLoad(db, plan);
    }),
  );
  return { rows, ms };
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-bench-'));
  console.log(`NeedleLog benchmark — ${CLIENTS.toLocaleString('en')} clients, data in ${dir}`);
  console.log(
    `  machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const key = newDataKey();
  const db = openDatabase(dir, key);
  const services: Services = createServices(db);
  try {
    // The generated plan (1.2M sessions at 100k clients) is dropped once loaded, so that the later
    // steps' peak RSS is theirs.
    const loaded = await loadClinic(db);
    (globalThis as { gc?: () => void }).gc?.();
    const bareMs = await bench.step('bulk load (bare baseline)', () =>
      time(() => bareInsertLoop(db, loaded.rows)),
    );
    bench.add('bulkLoad', {
      what: `bulk load (${loaded.rows.toLocaleString('en')} rows, validated, with zones, search index and overview aggregates)`,
      unit: 'rows/s',
      ours: (loaded.rows / loaded.ms) * 1000,
      baseline: (loaded.rows / bareMs) * 1000,
      baselineWhat: 'bare prepared INSERT loop',
      higherIsBetter: true,
    });
    db.pragma('optimize');

    // One session save through the service: validate, transaction, zones, audit, warnings; each commit fsynced.
    const practitionerId = services.practitioners.list()[0]!.id;
    const courseIds = (db.prepare(`SELECT id FROM courses ORDER BY rowid`).all() as { id: string }[]).map(
      (r) => r.id,
    );
    const rnd = seededRandom(7);
    const pickCourse = () => courseIds[Math.floor(rnd() * courseIds.length)]!;
    await bench.step('session save', () => {
      const saveTimes: number[] = [];
      const bareTimes: number[] = [];
      const bare = db.prepare(
        `INSERT INTO sessions (id, course_id, practitioner_id, performed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      // Interleaved, so both see the same disk and the same load.
      for (let i = 0; i < SAMPLES; i++) {
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
    await bench.step('client search', () => {
      const names = (
        db.prepare(`SELECT first_name AS f, last_name AS l FROM clients`).all() as { f: string; l: string }[]
      ).map((r) => (rnd() < 0.5 ? r.f : r.l));
      const searchTimes: number[] = [];
      const likeTimes: number[] = [];
      const like = db.prepare(`SELECT id FROM clients WHERE sort_name LIKE ? ORDER BY sort_name LIMIT 100`);
      for (let i = 0; i < SAMPLES; i++) {
        const name = names[Math.floor(rnd() * names.length)]!;
        const q = name.slice(0, 2 + Math.floor(rnd() * 4));
        searchTimes.push(time(() => services.clients.list({ query: q, limit: 100 })));
        likeTimes.push(time(() => like.all(`%${q.toLowerCase()}%`)));
      }
      bench.add('clientSearchP95', {
        what: `client search (prefix, accent-insensitive, page of 100 + total), p95 (p50 ${ms(percentile(searchTimes, 50))})`,
        unit: 'ms',
        ours: percentile(searchTimes, 95),
        baseline: percentile(likeTimes, 95),
        baselineWhat: 'bare LIKE scan',
        goal: CLIENTS > 10_000 ? '< 10 ms' : '< 5 ms',
      });
    });

    await bench.step('course lists', () => {
      const listTimes: number[] = [];
      const bareListTimes: number[] = [];
      const progressTimes: number[] = [];
      const bareList = db.prepare(
        `SELECT * FROM sessions WHERE course_id = ? AND deleted_at IS NULL ORDER BY performed_at`,
      );
      for (let i = 0; i < SAMPLES; i++) {
        const courseId = pickCourse();
        listTimes.push(time(() => services.sessions.list({ courseId })));
        bareListTimes.push(time(() => bareList.all(courseId)));
        // Course progress charts: per-session figures of one course (intervals, zones, adverse events).
        progressTimes.push(time(() => services.progress.get({ courseId: pickCourse() })));
      }
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
    await bench.step('lots', () => lotFigures(services, db, rnd));
    await csvFigure(dir, key);
    await bench.step('photos', () => photoFigures(services, db));
    await signInFigure();
    const jpeg = await cameraJpeg(4000, 3000, 12, 90);
    await bench.step('encryption', () =>
      encryptionFigures(bench, CLIENTS, SAMPLES, jpeg, Number(process.env.BENCH_PHOTOS ?? 8)),
    );
    await syncFigures(db);

    const size = fs.statSync(path.join(dir, 'needlelog.sqlite')).size;
    bench.add('databaseSize', {
      what: 'database file',
      unit: 'MiB',
      ours: size / 1024 / 1024,
      baseline: null,
    });
    bench.finish();
  } finally {
    closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
