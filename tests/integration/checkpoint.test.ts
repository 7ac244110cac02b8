import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { CHECKPOINT_BACKSTOP_PAGES } from '../../db/checkpoint.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';

let clinic: TestClinic;
afterEach(() => clinic.close());

const fileHash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

it('checkpoints after a burst of saves, never inside one of them', async () => {
  clinic = openTestClinic();
  const { services, db } = clinic;
  const { course, practitioner } = seedCourse(clinic);
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(CHECKPOINT_BACKSTOP_PAGES);
  await new Promise((resolve) => setTimeout(resolve, 250));
  const before = fileHash(db.name);
  // Well over SQLite's default threshold of 1000 pages, at which a commit would checkpoint.
  const saves = 80;
  for (let i = 0; i < saves; i++) {
    services.sessions.create({
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt: new Date(Date.UTC(2026, 2, 2) + i * 86_400_000).toISOString(),
      zones: [{ zone: 'chin', depthMm: 0.5 }],
      notes: 'x'.repeat(2000),
    });
  }
  const pageBytes = (db.pragma('page_size', { simple: true }) as number) + 24;
  expect(fs.statSync(`${db.name}-wal`).size / pageBytes).toBeGreaterThan(1000);
  // No save wrote into the database file itself: every page waits in the log.
  expect(fileHash(db.name)).toBe(before);
  await new Promise((resolve) => setTimeout(resolve, 250));
  // Once the saves are over and the event loop is free, the log is copied in.
  expect(fileHash(db.name)).not.toBe(before);
  expect(services.sessions.list({ courseId: course.id })).toHaveLength(saves);
});
