/**
 * The cost of encryption at rest, both figures in the same run: session saves and client search on
 * a clinic-sized database with and without SQLCipher, and a photo import with sealing (AES-256-GCM,
 * three sizes) against the same pipeline writing plain files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase, type DataKey } from '../db/connection.js';
import { demoClinic, seededRandom, type DemoPlan } from '../electron/services/demo.js';
import { writeFileDurably } from '../electron/services/durableFiles.js';
import { createServices } from '../electron/services/index.js';
import { newDataKey } from '../electron/services/keySlots.js';
import { processPhoto } from '../electron/services/photoWorkers.js';
import { bulkLoadWithPractitioners, percentile } from './clinicFixture.js';
import type { createFigures } from './figures.js';

function clinic(plan: DemoPlan, key: DataKey | null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-bench-enc-'));
  const db = openDatabase(dir, key);
  const { practitionerIds } = bulkLoadWithPractitioners(db, plan);
  db.pragma('optimize');
  return { dir, db, services: createServices(db), practitionerId: practitionerIds[0] as string };
}

type Clinic = ReturnType<typeof clinic>;

function saves(c: Clinic, samples: number): number[] {
  const courses = (c.db.prepare(`SELECT id FROM courses`).all() as { id: string }[]).map((r) => r.id);
  const rnd = seededRandom(3);
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const courseId = courses[Math.floor(rnd() * courses.length)] as string;
    const t = performance.now();
    c.services.sessions.create({
      courseId,
      practitionerId: c.practitionerId,
      performedAt: new Date().toISOString(),
      zones: [
        { zone: 'cheek_left', depthMm: 1.0 },
        { zone: 'chin', depthMm: 0.75 },
      ],
      pain: 3,
    });
    out.push(performance.now() - t);
  }
  return out;
}

function searches(c: Clinic, samples: number): number[] {
  const names = (c.db.prepare(`SELECT last_name AS l FROM clients`).all() as { l: string }[]).map((r) => r.l);
  const rnd = seededRandom(5);
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const q = (names[Math.floor(rnd() * names.length)] as string).slice(0, 2 + Math.floor(rnd() * 4));
    const t = performance.now();
    c.services.clients.list({ query: q, limit: 100 });
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Two clinics of `clients` clients, one plain and one encrypted, built from the same plan (a course
 * and a few sessions per client: the figures compare like with like, they need no full history).
 */
export async function encryptionFigures(
  bench: ReturnType<typeof createFigures>,
  clients: number,
  samples: number,
  jpeg: Buffer,
  photos: number,
): Promise<void> {
  const plan = demoClinic({
    clients,
    coursesPerClient: [1, 1],
    sessionsPerCourse: [3, 3],
    plannedPerCourse: [4, 6],
    seed: 43,
  });
  const plain = clinic(plan, null);
  const sealed = clinic(plan, newDataKey());
  try {
    // Interleaved rounds, so that a busy moment of the machine hits both alike.
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < 5; round++) {
      a.push(...saves(plain, samples / 5));
      b.push(...saves(sealed, samples / 5));
    }
    bench.add('encryptedSessionSaveP95', {
      what: `encryption at rest: session save, p95 (p50 ${percentile(b, 50).toFixed(3)} ms)`,
      unit: 'ms',
      ours: percentile(b, 95),
      baseline: percentile(a, 95),
      baselineWhat: `the same save into a plain-text database (p50 ${percentile(a, 50).toFixed(3)} ms)`,
      goal: '≤ 1.3×',
    });
    const sa = searches(plain, samples);
    const sb = searches(sealed, samples);
    bench.add('encryptedClientSearchP95', {
      what: `encryption at rest: client search at ${clients.toLocaleString('en')} clients, p95 (p50 ${percentile(sb, 50).toFixed(3)} ms)`,
      unit: 'ms',
      ours: percentile(sb, 95),
      baseline: percentile(sa, 95),
      baselineWhat: 'the same search in a plain-text database',
      goal: '< 5 ms',
    });

    // Photo import: the whole import (pipeline, sealing, durable writes, row) against the pipeline
    // writing the same three sizes as plain files, the way photos were stored before encryption.
    const sessionId = (sealed.db.prepare(`SELECT id FROM sessions LIMIT 1`).get() as { id: string }).id;
    sealed.services.photos.consent({ sessionId, answer: 'record' });
    const views = [
      'frontal',
      'left_oblique',
      'right_oblique',
      'left_lateral',
      'right_lateral',
      'close_up',
    ] as const;
    const withSeal: number[] = [];
    const withoutSeal: number[] = [];
    const plainDir = path.join(plain.dir, 'plain-photos');
    for (let i = 0; i < photos; i++) {
      const t = performance.now();
      await sealed.services.photos.import({
        sessionId,
        kind: i % 2 ? 'after' : 'before',
        view: views[i % views.length] as (typeof views)[number],
        data: jpeg,
      });
      withSeal.push(performance.now() - t);
      const u = performance.now();
      const p = await processPhoto(jpeg);
      for (const [variant, bytes] of [
        ['full', p.full],
        ['preview', p.preview],
        ['thumb', p.thumb],
      ] as const)
        await writeFileDurably(path.join(plainDir, variant, `${p.sha256}-${i}.jpg`), bytes);
      withoutSeal.push(performance.now() - u);
    }
    bench.add('encryptedPhotoImport', {
      what: `encryption at rest: photo import, 12 MP, sealed (AES-256-GCM, three sizes), p50 of ${photos}`,
      unit: 'ms',
      ours: percentile(withSeal, 50),
      baseline: percentile(withoutSeal, 50),
      baselineWhat: 'the same pipeline writing plain files',
      goal: '≤ 1.1× (10 %)',
    });
  } finally {
    for (const c of [plain, sealed]) {
      closeDatabase(c.db);
      fs.rmSync(c.dir, { recursive: true, force: true });
    }
  }
}
