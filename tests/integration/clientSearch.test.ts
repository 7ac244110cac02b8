import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { createServices } from '../../electron/services/index.js';
import { openTestClinic, tempDir, type TestClinic } from '../support/clinic.js';
import { signConsent } from '../support/signatures.js';

/*
 * The client list and search read live_clients and its search index (migration 0007, kept by
 * triggers). After any mix of creates, renames, deletes and restores they must give exactly what
 * the clients table says: the live (or deleted) clients each of whose typed words starts one of
 * their name's words, accents and case aside, in sort-name order, with the right total.
 */

let clinic: TestClinic | undefined;
afterEach(() => clinic?.close());

const FIRST = ['Zoë', 'Zoe', 'Amelia', 'Siobhán', 'Anne-Marie', 'Ana', 'Léa', 'Jo'];
const LAST = ['Okafor', 'O’Connor', 'Müller', 'Mueller', 'Smith-Jones', 'Ånström', '', 'Nguyen'];
const QUERIES = [
  '',
  'z',
  'zo',
  'zoe',
  'a',
  'an',
  'anne mar',
  'o',
  'o conn',
  'mu',
  'mü',
  'jo',
  'jones',
  'JO SM',
  'ans',
  'x',
];

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string) =>
  fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

interface Row {
  id: string;
  first_name: string;
  last_name: string;
  sort_name: string;
  deleted: number;
}

/** The list as the clients table itself says it should be, without any index. */
function expected(db: Database.Database, query: string, deleted: boolean) {
  const want = words(query);
  const rows = (
    db
      .prepare(
        `SELECT id, first_name, last_name, sort_name, deleted_at IS NOT NULL AS deleted FROM clients
         ORDER BY sort_name, id`,
      )
      .all() as Row[]
  ).filter((r) => {
    if (Boolean(r.deleted) !== deleted) return false;
    const have = words(`${r.first_name} ${r.last_name}`);
    return want.every((w) => have.some((h) => h.startsWith(w)));
  });
  return rows.map((r) => r.id);
}

type Op =
  | { op: 'create'; first: number; last: number }
  | { op: 'rename'; index: number; first: number; last: number }
  | { op: 'phone'; index: number }
  | { op: 'course'; index: number; status: number }
  | { op: 'session'; index: number; day: number }
  | { op: 'delete' | 'restore'; what: 'client' | 'course'; index: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('create' as const), first: fc.nat(), last: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('rename' as const),
      index: fc.nat(),
      first: fc.nat(),
      last: fc.nat(),
    }),
  },
  fc.record({ op: fc.constant('phone' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('course' as const), index: fc.nat(), status: fc.nat() }),
  fc.record({ op: fc.constant('session' as const), index: fc.nat(), day: fc.integer({ min: 1, max: 9 }) }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('delete' as const, 'restore' as const),
      what: fc.constantFrom('client' as const, 'client' as const, 'course' as const),
      index: fc.nat(),
    }),
  },
);

describe('client list and search', () => {
  it('equal what the clients table says after random creates, renames, deletes and restores', () => {
    const done = { deletes: 0, restores: 0, renames: 0 };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 50, size: 'medium' }), (ops) => {
        clinic?.close();
        clinic = openTestClinic();
        const { services, db } = clinic;
        const practitioner = services.practitioners.create({ name: 'Dr Aisha Rahman' });
        services.actAs(practitioner.id); // signed in, so consent can be signed for each course
        const ids: string[] = [];
        const courses: string[] = [];
        for (const o of ops) {
          try {
            const pick = (list: string[]) =>
              list.length && 'index' in o ? list[o.index % list.length] : undefined;
            const id = pick(ids);
            if (o.op === 'create') {
              const name = {
                firstName: FIRST[o.first % FIRST.length]!,
                lastName: LAST[o.last % LAST.length]!,
              };
              ids.push(services.clients.create(name).id);
            } else if (!id) {
              continue;
            } else if (o.op === 'rename') {
              services.clients.update({
                id,
                patch: { firstName: FIRST[o.first % FIRST.length]!, lastName: LAST[o.last % LAST.length]! },
              });
              done.renames++;
            } else if (o.op === 'phone') {
              services.clients.update({ id, patch: { phone: `0${ids.length}` } });
            } else if (o.op === 'course') {
              const course = services.courses.create({
                clientId: id,
                area: 'cheeks',
                indication: 'texture_pores',
                plannedSessions: 4,
                plannedIntervalDays: 28,
                startedOn: '2026-03-01',
              });
              signConsent(services, course.id);
              courses.push(course.id);
              if (o.status % 3 === 0) services.courses.setStatus({ id: course.id, status: 'completed' });
            } else if (o.op === 'session') {
              const courseId = pick(courses);
              if (!courseId) continue;
              services.sessions.create({
                courseId,
                practitionerId: practitioner.id,
                performedAt: `2026-03-0${o.day}T10:00:00.000Z`,
                zones: [{ zone: 'cheek_left', depthMm: 1 }],
              });
            } else {
              const target = o.what === 'client' ? id : pick(courses);
              if (!target) continue;
              (o.what === 'client' ? services.clients : services.courses)[o.op]({ id: target });
              done[o.op === 'delete' ? 'deletes' : 'restores']++;
            }
          } catch (err) {
            // A refused step (a rename of a deleted client, a restore of a live one) is part of the mix.
            if (!(err instanceof Error) || err.name !== 'AppError') throw err;
          }
        }
        // Each listed client's figures, recounted from the courses and sessions.
        const figures = db.prepare(
          `SELECT
             (SELECT count(*) FROM courses k WHERE k.client_id = @id AND k.deleted_at IS NULL AND k.status = 'active')
               AS activeCourses,
             (SELECT max(s.performed_at) FROM courses k JOIN sessions s ON s.course_id = k.id
               WHERE k.client_id = @id AND k.deleted_at IS NULL AND s.deleted_at IS NULL) AS lastSessionAt`,
        );
        for (const c of services.clients.list({ limit: 500 }).items) {
          expect({ activeCourses: c.activeCourses, lastSessionAt: c.lastSessionAt }).toEqual(
            figures.get({ id: c.id }),
          );
        }
        for (const deleted of [false, true]) {
          for (const query of QUERIES) {
            const all = expected(db, query, deleted);
            const page = services.clients.list({ query, deleted, limit: 500 });
            expect(
              page.items.map((c) => c.id),
              `${deleted ? 'deleted' : 'live'} "${query}"`,
            ).toEqual(all);
            expect(page.total).toBe(all.length);
            // A later page is the same order, shifted.
            const later = services.clients.list({ query, deleted, limit: 2, offset: 1 });
            expect(later.items.map((c) => c.id)).toEqual(all.slice(1, 3));
            expect(later.total).toBe(all.length);
          }
        }
      }),
      { numRuns: Number(process.env.FUZZ_SCALE ?? 1) * 30 },
    );
    // The mix really renamed, deleted and restored (not only refused steps).
    expect(done.renames).toBeGreaterThan(20);
    expect(done.deletes).toBeGreaterThan(20);
    expect(done.restores).toBeGreaterThan(5);
  });

  it('finds the clients of a database made before migration 0007, deleted ones only among the deleted', () => {
    const dir = tempDir();
    const old = new Database(databasePath(dir));
    migrate(old, 6);
    const at = '2026-03-02T10:00:00.000Z';
    old.exec(`
      INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at, deleted_at) VALUES
        ('a', 'Zoë', 'Okafor', 'okafor zoe', '${at}', '${at}', NULL),
        ('b', 'Zoe', 'Brennan', 'brennan zoe', '${at}', '${at}', NULL),
        ('c', 'Zora', 'Kim', 'kim zora', '${at}', '${at}', '${at}'),
        ('d', 'Amelia', 'Smith', 'smith amelia', '${at}', '${at}', NULL);
    `);
    migrate(old);
    const services = createServices(old);
    const ids = (query: string, deleted = false) =>
      services.clients.list({ query, deleted }).items.map((c) => c.id);
    expect(ids('zo')).toEqual(['b', 'a']);
    expect(ids('')).toEqual(['b', 'a', 'd']);
    expect(services.clients.list({ query: '' }).total).toBe(3);
    expect(ids('zo', true)).toEqual(['c']);
    old.close();
  });
});
