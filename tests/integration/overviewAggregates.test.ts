import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AREA_KEYS, NUMBING_AGENT_KEYS } from '../../contract/domain.js';
import type { Db } from '../../db/connection.js';
import { allTimeByArea, periodByArea, sessionsPerWeek, type OverviewParams } from '../../db/overview.js';
import { openTestClinic, type TestClinic } from '../support/clinic.js';
import { signConsent } from '../support/signatures.js';
import { kept, recount } from '../support/aggregates.js';

/*
 * The overview's aggregates (migration 0006: course_stats, course_agent_stats, kept by triggers)
 * must equal a full recount from the tables after any mix of writes, deletes and restores of
 * sessions, courses and clients, through the services as the app makes them.
 */

/** `n` weeks from `day`, each from a midnight at UTC offset `offsetMinutes` (the last one clipped mid-week). */
function weeksFrom(day: string, n: number, offsetMinutes: number) {
  const midnight = (d: number) =>
    new Date(Date.parse(`${day}T00:00:00.000Z`) + d * 86_400_000 - offsetMinutes * 60_000).toISOString();
  return Array.from({ length: n }, (_, i) => ({
    weekStart: midnight(i * 7).slice(0, 10),
    fromAt: midnight(i * 7),
    toAt: midnight(i === n - 1 ? i * 7 + 3 : i * 7 + 7),
  }));
}

/** The same weeks counted one session at a time in JS: live sessions of live courses of live clients. */
function countPerWeek(db: Db, p: OverviewParams, weeks: ReturnType<typeof weeksFrom>) {
  const rows = db
    .prepare(
      `SELECT s.performed_at AS at, s.practitioner_id AS practitionerId, k.area FROM sessions s
       JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
       WHERE s.deleted_at IS NULL AND k.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .all() as { at: string; practitionerId: string; area: string }[];
  return weeks.map((w) => ({
    weekStart: w.weekStart,
    sessions: rows.filter(
      (r) =>
        r.at >= w.fromAt &&
        r.at < w.toAt &&
        (p.practitionerId === null || r.practitionerId === p.practitionerId) &&
        (p.area === null || r.area === p.area),
    ).length,
  }));
}

let clinic: TestClinic | undefined;
afterEach(() => clinic?.close());

/** What a session step writes: day and minute, practitioner, agent and scores. */
interface SessionFields {
  day: number;
  minute: number;
  by: number;
  agent: number;
  sat: number | null;
  gais: number | null;
}

type Op =
  | { op: 'client' }
  | { op: 'course'; client: number; area: number }
  | ({ op: 'session'; course: number } & SessionFields)
  | ({ op: 'editSession'; session: number } & SessionFields)
  | { op: 'editCourse'; course: number; area: number; status: number; planned: number }
  | { op: 'delete' | 'restore'; what: 'session' | 'course' | 'client'; index: number };

// The time of day: mostly 10:00 (same instants), else any minute, so hours and part-hours vary.
const minuteArb = fc.oneof({ weight: 3, arbitrary: fc.constant(600) }, fc.integer({ min: 0, max: 1439 }));
const score = (max: number) => fc.option(fc.integer({ min: 1, max }), { nil: null });
const sessionFields = {
  day: fc.integer({ min: 0, max: 6 }), // few distinct days: sessions at the same instant happen
  minute: minuteArb,
  by: fc.nat(),
  agent: fc.nat(),
  sat: score(10),
  gais: score(5),
};
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ op: 'client' as const }),
  fc.record({ op: fc.constant('course' as const), client: fc.nat(), area: fc.nat() }),
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('session' as const), course: fc.nat(), ...sessionFields }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('editSession' as const), session: fc.nat(), ...sessionFields }),
  },
  fc.record({
    op: fc.constant('editCourse' as const),
    course: fc.nat(),
    area: fc.nat(),
    status: fc.nat(),
    planned: fc.integer({ min: 1, max: 8 }),
  }),
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom('delete' as const, 'restore' as const),
      what: fc.constantFrom('session' as const, 'course' as const, 'client' as const),
      index: fc.nat(),
    }),
  },
);

describe('overview aggregates', () => {
  it('equal a full recount after random writes, deletes and restores', () => {
    const done = { sessions: 0, deletes: 0, restores: 0 };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 60, size: 'medium' }), (ops) => {
        clinic?.close();
        clinic = openTestClinic();
        const { services, db } = clinic;
        const practitioner = services.practitioners.create({ name: 'Dr Aisha Rahman' });
        services.actAs(practitioner.id); // signed in, so consent can be signed for each course
        const practitioners = [practitioner.id, services.practitioners.create({ name: 'Dr Lena Voss' }).id];
        const ids = { client: [] as string[], course: [] as string[], session: [] as string[] };
        const pick = (list: string[], i: number) => (list.length ? list[i % list.length]! : undefined);
        const at = (day: number, minute: number) =>
          new Date(Date.UTC(2026, 2, day + 1) + minute * 60_000).toISOString();
        // Two clients with a course each to start from, so most steps have something to work on.
        const start: Op[] = [
          { op: 'client' },
          { op: 'client' },
          { op: 'course', client: 0, area: 0 },
          { op: 'course', client: 1, area: 1 },
        ];
        for (const o of [...start, ...ops]) {
          // A refused step (a deleted course, a restore of a live record) is part of the mix too.
          try {
            switch (o.op) {
              case 'client':
                ids.client.push(services.clients.create({ firstName: `C${ids.client.length}` }).id);
                break;
              case 'course': {
                const clientId = pick(ids.client, o.client);
                if (!clientId) break;
                const course = services.courses.create({
                  clientId,
                  area: AREA_KEYS[o.area % AREA_KEYS.length]!,
                  indication: 'texture_pores',
                  plannedSessions: 4,
                  plannedIntervalDays: 28,
                  startedOn: '2026-03-01',
                });
                signConsent(services, course.id);
                ids.course.push(course.id);
                break;
              }
              case 'session': {
                const courseId = pick(ids.course, o.course);
                if (!courseId) break;
                const saved = services.sessions.create({
                  courseId,
                  practitionerId: practitioners[o.by % 2]!,
                  performedAt: at(o.day, o.minute),
                  numbingAgent: NUMBING_AGENT_KEYS[o.agent % NUMBING_AGENT_KEYS.length]!,
                  satisfaction: o.sat,
                  gaisPractitioner: o.gais,
                  zones: [{ zone: 'cheek_left', depthMm: 1 }],
                });
                ids.session.push(saved.value.id);
                done.sessions++;
                break;
              }
              case 'editSession': {
                const id = pick(ids.session, o.session);
                if (!id) break;
                services.sessions.update({
                  id,
                  patch: {
                    practitionerId: practitioners[o.by % 2]!,
                    performedAt: at(o.day, o.minute),
                    numbingAgent: NUMBING_AGENT_KEYS[o.agent % NUMBING_AGENT_KEYS.length]!,
                    satisfaction: o.sat,
                    gaisPractitioner: o.gais,
                  },
                });
                break;
              }
              case 'editCourse': {
                const id = pick(ids.course, o.course);
                if (!id) break;
                services.courses.update({
                  id,
                  patch: { area: AREA_KEYS[o.area % AREA_KEYS.length]!, plannedSessions: o.planned },
                });
                services.courses.setStatus({
                  id,
                  status: (['active', 'paused', 'completed', 'cancelled'] as const)[o.status % 4]!,
                });
                break;
              }
              case 'delete':
              case 'restore': {
                const id = pick(ids[o.what], o.index);
                if (!id) break;
                const service =
                  o.what === 'session'
                    ? services.sessions
                    : o.what === 'course'
                      ? services.courses
                      : services.clients;
                if (o.op === 'delete') service.delete({ id });
                else service.restore({ id });
                done[o.op === 'delete' ? 'deletes' : 'restores']++;
                break;
              }
            }
          } catch (err) {
            if (!(err instanceof Error) || err.name !== 'AppError') throw err;
          }
        }
        expect(kept(db)).toEqual(recount(db));
        // And the all-time figures from them equal the same figures counted from the sessions.
        const p: OverviewParams = {
          fromAt: '2000-01-01T00:00:00.000Z',
          toAt: '2100-01-01T00:00:00.000Z',
          practitionerId: null,
          area: null,
          today: '2026-03-10',
        };
        expect(allTimeByArea(db, p, NUMBING_AGENT_KEYS)).toEqual(periodByArea(db, p, NUMBING_AGENT_KEYS));
        const lips = { ...p, area: 'lips_perioral' };
        expect(allTimeByArea(db, lips, NUMBING_AGENT_KEYS)).toEqual(
          periodByArea(db, lips, NUMBING_AGENT_KEYS),
        );
        // Sessions per week from the hours equal the sessions counted one by one, for weeks that
        // start on a whole hour and for those that do not (UTC+5:30, UTC−3:45), with each filter.
        for (const offsetMinutes of [0, -330, 225]) {
          const weeks = weeksFrom('2026-02-27', 3, offsetMinutes);
          for (const filter of [
            { practitionerId: null, area: null },
            { practitionerId: practitioners[1]!, area: null },
            { practitionerId: null, area: 'lips_perioral' },
            { practitionerId: practitioners[0]!, area: AREA_KEYS[0]! },
          ]) {
            const q = { ...p, ...filter };
            expect(sessionsPerWeek(db, q, weeks), `${offsetMinutes} ${JSON.stringify(filter)}`).toEqual(
              countPerWeek(db, q, weeks),
            );
          }
        }
      }),
      { numRuns: Number(process.env.FUZZ_SCALE ?? 1) * 40 },
    );
    // The mix really wrote, deleted and restored (not only refused steps).
    expect(done.sessions).toBeGreaterThan(100);
    expect(done.deletes).toBeGreaterThan(20);
    expect(done.restores).toBeGreaterThan(5);
  });

  it('equal a full recount after a backup is restored over later writes, and after writes on top of it', async () => {
    const { createBackup } = await import('../../electron/services/backups.js');
    const { restoreBackup } = await import('../../electron/services/restoreBackup.js');
    const { closeDatabase, openDatabase } = await import('../../db/connection.js');
    const { createServices } = await import('../../electron/services/index.js');
    const { demoClinic, loadDemoStep } = await import('../../electron/services/demo.js');
    const { tempDir, testKeyFor } = await import('../support/clinic.js');
    const dir = tempDir();
    const db = openDatabase(dir, testKeyFor(dir));
    const services = createServices(db);
    const plan = demoClinic({ clients: 6, signSessions: false }); // unsigned, so they can be edited
    loadDemoStep(services, plan, -1);
    plan.clients.forEach((_, i) => loadDemoStep(services, plan, i));
    const backup = await createBackup(db, dir, 'manual');
    const before = kept(db);
    // Later writes the restore must take back: a client deleted, a session moved, one deleted.
    const [first, second] = db
      .prepare(`SELECT id FROM sessions ORDER BY id LIMIT 2`)
      .pluck()
      .all() as string[];
    services.actAs(services.practitioners.list()[0]!.id);
    services.clients.delete({ id: services.clients.list({}).items[0]!.id });
    services.sessions.update({ id: first!, patch: { performedAt: '2020-01-01T07:45:00.000Z' } });
    services.sessions.delete({ id: second! });
    expect(kept(db)).toEqual(recount(db));
    expect(kept(db)).not.toEqual(before);
    closeDatabase(db);
    await restoreBackup(dir, backup.file, testKeyFor(dir));
    const restored = openDatabase(dir, testKeyFor(dir));
    try {
      expect(kept(restored)).toEqual(before);
      expect(kept(restored)).toEqual(recount(restored));
      const again = createServices(restored);
      again.actAs(again.practitioners.list()[0]!.id);
      again.sessions.delete({ id: first! });
      expect(kept(restored)).toEqual(recount(restored));
    } finally {
      closeDatabase(restored);
    }
  });

  it('are built for a database that had sessions before migration 0006', async () => {
    const { migrate } = await import('../../db/migrate.js');
    const Database = (await import('better-sqlite3-multiple-ciphers')).default;
    const { databasePath } = await import('../../db/connection.js');
    const { tempDir } = await import('../support/clinic.js');
    const dir = tempDir();
    const old = new Database(databasePath(dir));
    migrate(old, 2);
    const at = '2026-03-02T10:00:00.000Z';
    old.exec(`
      INSERT INTO practitioners (id, name, created_at, updated_at) VALUES ('p', 'Dr A', '${at}', '${at}');
      INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at) VALUES ('c', 'A', 'B', 'b a', '${at}', '${at}');
      INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, started_on, created_at, updated_at)
        VALUES ('k', 'c', 'cheeks', 'texture', 4, 28, '2026-03-01', '${at}', '${at}');
      INSERT INTO sessions (id, course_id, practitioner_id, performed_at, numbing_agent, satisfaction, created_at, updated_at)
        VALUES ('s1', 'k', 'p', '2026-03-02T10:00:00.000Z', 'emla', 4, '${at}', '${at}'),
               ('s2', 'k', 'p', '2026-03-30T10:00:00.000Z', 'emla', 8, '${at}', '${at}'),
               ('s3', 'k', 'p', '2026-04-27T10:00:00.000Z', 'none', NULL, '${at}', '${at}');
    `);
    migrate(old);
    expect(kept(old)).toEqual(recount(old));
    expect(old.prepare(`SELECT sessions, sat_first, sat_last, sat_n FROM course_stats`).get()).toEqual({
      sessions: 3,
      sat_first: 4,
      sat_last: 8,
      sat_n: 2,
    });
    old.close();
  });
});
