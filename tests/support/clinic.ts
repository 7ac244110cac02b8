import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase, type DataKey, type Db } from '../../db/connection.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { givePin } from './signIn.js';
import { signConsent } from './signatures.js';
import { createKeys, readKeyFile, unlockWithSecret, writeKeyFile } from '../../electron/services/keySlots.js';

/** The passphrase of every clinic the tests make (the CLI gets it as NEEDLELOG_PASSPHRASE). */
export const TEST_PASSPHRASE = 'test clinic passphrase';
/** Test-only: a cheap scrypt so that each test clinic is not 128 MiB and most of a second to make. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 } as const;

const keys = new Map<string, DataKey>();

/**
 * The data key of the test clinic in `dir`: made on first use with a key file under
 * TEST_PASSPHRASE (so the real CLI opens it too), read back from that file afterwards.
 */
export function testKeyFor(dir: string): DataKey {
  const resolved = path.resolve(dir);
  const known = keys.get(resolved);
  if (known) return known;
  const existing = readKeyFile(resolved);
  let key: DataKey;
  if (existing) key = unlockWithSecret(existing, TEST_PASSPHRASE).key;
  else {
    const made = createKeys(TEST_PASSPHRASE, { scrypt: TEST_SCRYPT });
    writeKeyFile(resolved, made.keyFile);
    key = made.key;
  }
  keys.set(resolved, key);
  return key;
}

export function tempDir(prefix = 'needlelog-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A controllable clock: tests move "now" explicitly instead of waiting. */
export function fakeClock(start = '2026-03-02T10:00:00Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso: string) => {
      t = Date.parse(iso);
    },
    advanceMinutes: (m: number) => {
      t += m * 60_000;
    },
  };
}

export interface TestClinic {
  dir: string;
  key: DataKey;
  db: Db;
  services: Services;
  clock: ReturnType<typeof fakeClock>;
  close(): void;
}

/** A real clinic database in a fresh temp directory. */
export function openTestClinic(dir = tempDir()): TestClinic {
  const key = testKeyFor(dir);
  const db = openDatabase(dir, key);
  const clock = fakeClock();
  const services = createServices(db, { now: clock.now });
  return { dir, key, db, services, clock, close: () => closeDatabase(db) };
}

/**
 * One practitioner (the manager, signed in with TEST_PIN), one client and one course with its
 * consent signed, ready for sessions (`consent: false` leaves the course without one).
 */
export function seedCourse(
  clinic: TestClinic,
  course: {
    area?: string;
    indication?: string;
    plannedSessions?: number;
    plannedIntervalDays?: number;
    consent?: boolean;
  } = {},
) {
  const { services } = clinic;
  const practitioner = services.practitioners.create({ name: 'Dr Aisha Rahman' });
  // Signed in, as the hosts would be: she is the first practitioner, so the clinic's manager.
  services.actAs(practitioner.id);
  givePin(services, practitioner.id);
  services.settings.update({ clinicName: 'Test Clinic', currentPractitionerId: practitioner.id });
  const client = services.clients.create({ firstName: 'Zoë', lastName: 'Okafor', fitzpatrick: 4 });
  const created = services.courses.create({
    clientId: client.id,
    area: (course.area ?? 'lips_perioral') as 'lips_perioral',
    indication: (course.indication ?? 'lip_enhancement') as 'lip_enhancement',
    plannedSessions: course.plannedSessions ?? 4,
    plannedIntervalDays: course.plannedIntervalDays ?? 28,
    startedOn: '2026-03-02',
  });
  if (course.consent !== false) signConsent(services, created.id);
  return { practitioner, client, course: created };
}
