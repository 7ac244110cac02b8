/**
 * `npm run bench`: builds a clinic-sized database in a temp dir and prints figures, each next to a
 * raw baseline measured in the same run on the same machine. Figures only: nothing here asserts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase, type Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import sharp from 'sharp';
import { PHOTO_VIEW_KEYS } from '../contract/domain.js';
import { bulkLoadClinic, percentile } from './clinicFixture.js';
import { demoClinic, seededRandom, type DemoPlan } from '../electron/services/demo.js';
import { hashPin, pinMatches } from '../electron/services/pinHash.js';
import { createServices, type Services } from '../electron/services/index.js';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { prepareExport, runExport } from '../electron/services/exports/index.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function report(what: string, ours: string, baseline: string): void {
  console.log(`  ${what}: ${ours}   (baseline: ${baseline})`);
}
const ms = (x: number) => `${x.toFixed(3)} ms`;
const perSec = (n: number, msTotal: number) =>
  `${Math.round((n / msTotal) * 1000).toLocaleString('en')} rows/s`;

/** Our bulk path (bench/clinicFixture.ts), after the practitioners it refers to. */
function bulkLoad(db: Db, plan: DemoPlan): number {
  const at = new Date().toISOString();
  const practitionerIds = plan.practitioners.map((p) => {
    const id = newId();
    db.prepare(
      `INSERT INTO practitioners (id, name, credentials, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(id, p.name, p.credentials ?? '', p.role ?? 'practitioner', at, at);
    return id;
  });
  return practitionerIds.length + bulkLoadClinic(db, plan, practitionerIds);
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

/** A 12-megapixel camera-like JPEG: noise over a gradient, so the encoder has real work to do. */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const raw = Buffer.alloc(width * height * 3);
  const rnd = seededRandom(12);
  for (let i = 0; i < raw.length; i += 3) {
    const x = (i / 3) % width;
    raw[i] = (x * 255) / width + rnd() * 40;
    raw[i + 1] = 120 + rnd() * 60;
    raw[i + 2] = 200 - (x * 100) / width;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .withExif({ IFD0: { Make: 'BenchCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** One photo through the whole import (decode, orient, strip, sRGB, 3 sizes, hash, fsync, row) vs a bare resize. */
async function photoFigures(services: Services, db: Db): Promise<void> {
  const jpeg = await twelveMegapixelJpeg();
  const sessionId = (db.prepare(`SELECT id FROM sessions LIMIT 1`).get() as { id: string }).id;
  services.photos.consent({ sessionId, answer: 'record' });
  const N = Number(process.env.BENCH_PHOTOS ?? 8);
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < N; i++) {
    // A different view each time, so every import files a row (the same image is stored once).
    const t = performance.now();
    await services.photos.import({
      sessionId,
      kind: i % 2 ? 'after' : 'before',
      view: PHOTO_VIEW_KEYS[i % 6]!,
      data: jpeg,
    });
    ours.push(performance.now() - t);
    const u = performance.now();
    await sharp(jpeg).resize(1600, 1600, { fit: 'inside' }).jpeg().toBuffer();
    bare.push(performance.now() - u);
  }
  report(
    `photo import, 12 MP JPEG (${(jpeg.byteLength / 1024 / 1024).toFixed(1)} MB), full pipeline, p50 / max of ${N}`,
    `${ms(percentile(ours, 50))} / ${ms(Math.max(...ours))}`,
    `bare sharp resize to 1600 px ${ms(percentile(bare, 50))} / ${ms(Math.max(...bare))}`,
  );
}

/**
 * The clinic-wide CSV export (every session, every column, streamed in batches) next to a bare
 * `SELECT * FROM sessions` turned into one CSV string by csv-stringify in one go.
 */
async function csvFigure(services: Services, db: Db, dir: string): Promise<void> {
  const out = path.join(dir, 'bench-export.csv');
  // A clinic-wide export is a manager's: act as the clinic's manager, as a signed-in one would.
  const manager = services.practitioners.list().find((p) => p.role === 'manager');
  services.actAs(manager?.id ?? null);
  const t0 = performance.now();
  const prepared = prepareExport(services.ctx, { format: 'csv', selection: {} }, out);
  const r = await runExport(services.ctx, prepared);
  const oursMs = performance.now() - t0;
  const t1 = performance.now();
  const rows = db.prepare('SELECT * FROM sessions').raw().all() as unknown[][];
  const text = stringifySync(rows);
  const bareMs = performance.now() - t1;
  report(
    `clinic-wide CSV export (${r.sessions.toLocaleString('en')} sessions, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB)`,
    `${(oursMs / 1000).toFixed(2)} s`,
    `bare SELECT * + csv-stringify in one string ${(bareMs / 1000).toFixed(2)} s, ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MiB`,
  );
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
  report(
    'sign-in: PIN check, p50 / max of 10',
    `${ms(percentile(checks, 50))} / ${ms(Math.max(...checks))}`,
    `bare SHA-256 ${ms(performance.now() - t)}`,
  );
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
  report(
    `lot recall (sessions of a lot, ${Math.round(percentile(found, 50))}–${Math.max(...found)} found), p50 / p95`,
    `${ms(percentile(recallTimes, 50))} / ${ms(percentile(recallTimes, 95))}`,
    `bare full scan of the three lot columns ${ms(percentile(scanTimes, 50))} / ${ms(percentile(scanTimes, 95))}`,
  );
  const kinds = ['cartridge', 'numbing', 'glide'] as const;
  const recentTimes: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const prefix = pick().slice(0, Math.floor(rnd() * 4));
    const kind = i % 4 === 3 ? null : kinds[i % 3]!;
    recentTimes.push(time(() => services.lots.recent({ kind, prefix })));
  }
  const distinct = db.prepare(`SELECT DISTINCT cartridge_lot FROM sessions NOT INDEXED`);
  const distinctTimes = Array.from({ length: 20 }, () => time(() => distinct.all()));
  report(
    'lot suggestions as typed (0–3 characters, one kind or all), p50 / p95',
    `${ms(percentile(recentTimes, 50))} / ${ms(percentile(recentTimes, 95))}`,
    `bare DISTINCT scan of one lot column ${ms(percentile(distinctTimes, 50))}`,
  );
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-bench-'));
  console.log(`NeedleLog benchmark — ${CLIENTS.toLocaleString('en')} clients, data in ${dir}`);
  console.log(
    `  machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
  );
  const db = openDatabase(dir);
  const services: Services = createServices(db);
  try {
    const plan = demoClinic({
      clients: CLIENTS,
      coursesPerClient: [3, 3],
      sessionsPerCourse: [4, 4],
      plannedPerCourse: [4, 6],
      seed: 42,
    });
    const sessions = plan.clients.reduce(
      (n, c) => n + c.courses.reduce((m, k) => m + k.sessions.length, 0),
      0,
    );
    console.log(`  generated ${plan.clients.length * 3} courses, ${sessions} sessions`);

    let loaded = 0;
    const loadMs = time(() => {
      loaded = bulkLoad(db, plan);
    });
    const bareMs = time(() => bareInsertLoop(db, loaded));
    report(
      `bulk load (${loaded.toLocaleString('en')} rows, validated, with zones and search index)`,
      perSec(loaded, loadMs),
      `bare prepared INSERT loop ${perSec(loaded, bareMs)}`,
    );
    db.pragma('optimize');

    // One session save through the service: validate, transaction, zones, audit, warnings; each commit fsynced.
    const practitionerId = services.practitioners.list()[0]!.id;
    const courseIds = (db.prepare(`SELECT id FROM courses ORDER BY rowid`).all() as { id: string }[]).map(
      (r) => r.id,
    );
    const rnd = seededRandom(7);
    const pickCourse = () => courseIds[Math.floor(rnd() * courseIds.length)]!;
    const saveTimes: number[] = [];
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
              { zone: 'cheeks', depthMm: 1.0 },
              { zone: 'chin', depthMm: 0.75 },
            ],
            numbingAgent: 'blt',
            numbingMinutes: 30,
            pain: 3,
            aftercare: ['spf30_from_24h', 'no_makeup_24_48h'],
          }),
        ),
      );
    }
    const bare = db.prepare(
      `INSERT INTO sessions (id, course_id, practitioner_id, performed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const bareTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const at = new Date().toISOString();
      bareTimes.push(time(() => bare.run(newId(), pickCourse(), practitionerId, at, at, at)));
    }
    report(
      'session save via service, p50 / p95',
      `${ms(percentile(saveTimes, 50))} / ${ms(percentile(saveTimes, 95))}`,
      `bare autocommit INSERT ${ms(percentile(bareTimes, 50))} / ${ms(percentile(bareTimes, 95))}`,
    );

    // Client search as typed: 2–5 letter prefixes of real names in the clinic, 100 per page.
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
    report(
      'client search (prefix, accent-insensitive, page of 100 + total), p50 / p95',
      `${ms(percentile(searchTimes, 50))} / ${ms(percentile(searchTimes, 95))}`,
      `bare LIKE scan ${ms(percentile(likeTimes, 50))} / ${ms(percentile(likeTimes, 95))}`,
    );

    const listTimes: number[] = [];
    const bareListTimes: number[] = [];
    const bareList = db.prepare(
      `SELECT * FROM sessions WHERE course_id = ? AND deleted_at IS NULL ORDER BY performed_at`,
    );
    for (let i = 0; i < SAMPLES; i++) {
      const courseId = pickCourse();
      listTimes.push(time(() => services.sessions.list({ courseId })));
      bareListTimes.push(time(() => bareList.all(courseId)));
    }
    report(
      'course session list (numbered, with zones and practitioner), p50 / p95',
      `${ms(percentile(listTimes, 50))} / ${ms(percentile(listTimes, 95))}`,
      `bare SELECT ${ms(percentile(bareListTimes, 50))} / ${ms(percentile(bareListTimes, 95))}`,
    );
    // Course progress charts: per-session figures of one course (intervals, zones, adverse events).
    const progressTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const courseId = pickCourse();
      progressTimes.push(time(() => services.progress.get({ courseId })));
    }
    report(
      'course progress (charts data), p50 / p95',
      `${ms(percentile(progressTimes, 50))} / ${ms(percentile(progressTimes, 95))}`,
      `bare SELECT ${ms(percentile(bareListTimes, 50))} / ${ms(percentile(bareListTimes, 95))}`,
    );

    // Clinic overview: every figure from SQL aggregates; all time (every session) and the default 26 weeks.
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
    const p50max = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(Math.max(...xs))}`;
    report(
      `clinic overview, all time (${sessionCount.toLocaleString('en')} sessions), p50 / max of 20`,
      p50max(overviewAll),
      `bare count+sum scan of sessions ${p50max(bareScan)}`,
    );
    report(
      'clinic overview, default 26 weeks, p50 / max of 20',
      p50max(overviewDefault),
      'same scan as above',
    );
    report(
      'clinic overview, all time, one practitioner + one area, p50 / max of 20',
      p50max(overviewFiltered),
      'same scan as above',
    );
    lotFigures(services, db, rnd);
    await csvFigure(services, db, dir);
    await photoFigures(services, db);
    await signInFigure();

    const size = fs.statSync(path.join(dir, 'needlelog.sqlite')).size;
    console.log(`  database file: ${(size / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
